/* A small program with three hot spots of different kinds, for trying hwprof. */
#include <stdio.h>
#include <stdlib.h>

#define N (1 << 22)

/* Pure arithmetic: high IPC. */
static unsigned long collatz_steps(unsigned long limit)
{
	unsigned long total = 0;
	for (unsigned long i = 1; i < limit; i++) {
		unsigned long x = i;
		while (x != 1) {
			x = (x & 1) ? 3 * x + 1 : x / 2;
			total++;
		}
	}
	return total;
}

/* Random walk over a large array: cache misses. */
static unsigned long pointer_chase(unsigned *next, unsigned steps)
{
	unsigned i = 0;
	unsigned long sum = 0;
	for (unsigned s = 0; s < steps; s++) {
		i = next[i];
		sum += i;
	}
	return sum;
}

/* Sequential streaming: prefetch-friendly. */
static unsigned long stream_sum(const unsigned *a, unsigned n, int passes)
{
	unsigned long sum = 0;
	for (int p = 0; p < passes; p++)
		for (unsigned i = 0; i < n; i++)
			sum += a[i];
	return sum;
}

int main(void)
{
	unsigned *next = malloc(N * sizeof(*next));
	unsigned long r = 0;

	if (!next)
		return 1;
	/* One random cycle through the array (Sattolo's shuffle). */
	for (unsigned i = 0; i < N; i++)
		next[i] = i;
	srand(42);
	for (unsigned i = N - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % i, t = next[i];
		next[i] = next[j];
		next[j] = t;
	}
	r += collatz_steps(300000);
	r += pointer_chase(next, 4000000);
	r += stream_sum(next, N, 8);
	printf("demo: checksum %lu\n", r);
	free(next);
	return 0;
}
