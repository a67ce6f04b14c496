/* Splits its work between two functions as told: "mix A B" gives alpha A units and beta B units. */
#include <stdlib.h>

#define UNIT 20000000ul

/* Same alignment for both, or their identical loops run at different speeds. */
__attribute__((noinline, aligned(64))) void alpha(unsigned long n)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i;
}

__attribute__((noinline, aligned(64))) void beta(unsigned long n)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i;
}

int main(int argc, char **argv)
{
	alpha((argc > 1 ? strtoul(argv[1], NULL, 10) : 1) * UNIT);
	beta((argc > 2 ? strtoul(argv[2], NULL, 10) : 1) * UNIT);
	return 0;
}
