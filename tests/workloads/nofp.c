/* a -> b -> c with c hot, built without frame pointers: only DWARF unwinding recovers the chain. */
#include <stdlib.h>

static volatile unsigned long sink;

__attribute__((noinline)) void func_c(unsigned long n)
{
	unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i * 7 ^ (x >> 5);
	sink = x;
}

__attribute__((noinline)) void func_b(unsigned long n)
{
	func_c(n);
	sink++;
}

__attribute__((noinline)) void func_a(unsigned long n)
{
	func_b(n);
	sink++;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 400000000ul;
	func_a(n);
	return 0;
}
