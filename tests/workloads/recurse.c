/* Recurses DEPTH frames deep (default 150), then burns CPU at the bottom. */
#include <stdlib.h>

__attribute__((noinline)) static void bottom(void)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 300000000; i++)
		x += i;
}

__attribute__((noinline)) static int recurse(int n)
{
	/* A local live across the call forces a real frame at every level:
	 * without it gcc turns the recursion into a loop. */
	volatile int here = n;

	if (n == 0) {
		bottom();
		return 0;
	}
	return recurse(n - 1) + (here > 0);
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 150;
	return recurse(depth) == depth ? 0 : 1;
}
