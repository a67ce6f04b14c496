/* Spends 60%, 30% and 10% of its CPU time in three functions with identical loops. */
#include <stdlib.h>

#define LOOP(n)                                                  \
	do {                                                     \
		volatile unsigned long x = 0;                    \
		for (unsigned long i = 0; i < (n); i++)          \
			x += i ^ (x >> 3);                       \
	} while (0)

static unsigned long unit;

__attribute__((noinline)) void sixty(void) { LOOP(6 * unit); }
__attribute__((noinline)) void thirty(void) { LOOP(3 * unit); }
__attribute__((noinline)) void ten(void) { LOOP(unit); }

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;

	unit = 1000000;
	for (int r = 0; r < rounds; r++) {
		sixty();
		thirty();
		ten();
	}
	return 0;
}
