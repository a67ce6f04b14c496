/* One hot function reached from two callers, 3:1: the shape a call-graph display must show. */
#include <stdlib.h>

/* Work after each call keeps the calls from becoming tail jumps. */
static volatile unsigned long calls;

__attribute__((noinline)) void leaf(unsigned long n)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i;
}

__attribute__((noinline)) void caller_a(unsigned long n)
{
	leaf(3 * n);
	calls++;
}

__attribute__((noinline)) void caller_b(unsigned long n)
{
	leaf(n);
	calls++;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 60000000ul;
	caller_a(n);
	caller_b(n);
	return 0;
}
