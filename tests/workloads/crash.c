/* Burns CPU for MS milliseconds (default 300), then dies of SIGSEGV. */
#include <stdlib.h>
#include <time.h>

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((noinline)) static void spin_then_crash(double ms)
{
	volatile unsigned long x = 0;
	double end = cpu_ms() + ms;
	while (cpu_ms() < end)
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
	*(volatile int *)(x & 0) = 1;
}

int main(int argc, char **argv)
{
	spin_then_crash(argc > 1 ? atof(argv[1]) : 300);
	return 0;
}
