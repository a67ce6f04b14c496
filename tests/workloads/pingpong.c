/* Two threads bounce a byte over a pair of pipes ROUNDS times (default
 * 200000): a context switch on each side per round trip, so about as many
 * switches a second as the machine can do. Prints the round trips per second. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int ab[2], ba[2];
static long rounds = 200000;

static void *echo(void *arg)
{
	char c;

	(void)arg;
	while (read(ab[0], &c, 1) == 1)
		if (write(ba[1], &c, 1) != 1)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	pthread_t t;
	char c = 'x';

	if (argc > 1)
		rounds = atol(argv[1]);
	if (pipe(ab) < 0 || pipe(ba) < 0 || pthread_create(&t, NULL, echo, NULL) != 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < rounds; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return 2;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(ab[1]);
	pthread_join(t, NULL);
	printf("%.0f round trips/s\n", (double)rounds / ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9));
	return 0;
}
