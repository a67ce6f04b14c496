/* Burns a little CPU, then forks a child that execs PROGRAM ARGS, and waits for it. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static void parent_work(void)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 50000000; i++)
		x += i;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: forkexec PROGRAM [ARGS]\n");
		return 2;
	}
	parent_work();
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
