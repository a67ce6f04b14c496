/* Nearly all time in inner_work(), which is always inlined into outer(): only debug info knows it. */
#include <stdlib.h>

static volatile unsigned long sink;

static inline __attribute__((always_inline)) unsigned long inner_work(unsigned long n)
{
	unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i * 3 ^ (x >> 7);
	return x;
}

__attribute__((noinline)) void outer(unsigned long n)
{
	sink = inner_work(n);
}

int main(int argc, char **argv)
{
	outer(argc > 1 ? strtoul(argv[1], NULL, 10) : 300000000ul);
	return 0;
}
