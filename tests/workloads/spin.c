/* Burns MS milliseconds of CPU time in user space (default 300). */
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long burn(unsigned long iters)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < iters; i++)
		x += i * i;
	return x;
}

int main(int argc, char **argv)
{
	double ms = argc > 1 ? atof(argv[1]) : 300;
	double end = cpu_seconds() + ms / 1000.0;

	while (cpu_seconds() < end)
		burn(100000);
	return 0;
}
