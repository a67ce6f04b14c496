/* Ends with the exit code given, or killed by signal N when given "-N". */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (argv[1][0] == '-') {
		int sig = atoi(argv[1] + 1);
		signal(sig, SIG_DFL);
		raise(sig);
		pause();
	}
	return atoi(argv[1]);
}
