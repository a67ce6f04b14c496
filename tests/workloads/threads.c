/* Starts N threads (default 4) that each burn CPU for MS milliseconds (default 200). */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static double ms;

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((noinline)) static void *worker(void *arg)
{
	volatile unsigned long x = 0;
	double end = thread_cpu() + ms;

	(void)arg;
	while (thread_cpu() < end)
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t *t;

	ms = argc > 2 ? atof(argv[2]) : 200;
	if (n < 1)
		return 2;
	t = calloc((size_t)n, sizeof(*t));
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, NULL))
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}
