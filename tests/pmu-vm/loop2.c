/* Runs a loop of exactly two aarch64 instructions N times (N >= 1): instruction
 * counts of two runs differ by exactly 2 x the difference of their N. */
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;

	if (n == 0)
		return 2;
	__asm__ volatile("1:	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 :
			 : "cc");
	return 0;
}
