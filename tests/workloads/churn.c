/* For SECONDS (default 10): waves of THREADS (default 64) threads that each burn a
 * little CPU and exit, started back to back. Prints how many threads it ran. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void *burst(void *arg)
{
	volatile unsigned long x = 0;
	(void)arg;
	for (unsigned long i = 0; i < 2000000; i++)
		x += i;
	return NULL;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 10;
	int n = argc > 2 ? atoi(argv[2]) : 64;
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	unsigned long total = 0;
	double end = now() + secs;

	if (!t || n < 1)
		return 2;
	while (now() < end) {
		for (int i = 0; i < n; i++)
			if (pthread_create(&t[i], NULL, burst, NULL) == 0)
				total++;
			else
				t[i] = 0;
		for (int i = 0; i < n; i++)
			if (t[i])
				pthread_join(t[i], NULL);
	}
	printf("churn: %lu threads\n", total);
	free(t);
	return 0;
}
