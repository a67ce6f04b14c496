/* Starts the workload behind a barrier so counters are attached before its first instruction. */
#include "hwprof/target.h"
#include "hwprof/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int target_spawn(struct target *t, char *const argv[])
{
	int go[2], err[2];
	pid_t pid;

	t->pid = -1;
	t->go_fd = t->err_fd = -1;
	t->exec_errno = 0;
	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(err, O_CLOEXEC) < 0) {
		int e = errno;
		close(go[0]);
		close(go[1]);
		return -e;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(go[0]);
		close(go[1]);
		close(err[0]);
		close(err[1]);
		return -e;
	}
	if (pid == 0) {
		char c;
		int e;

		close(go[1]);
		close(err[0]);
		/* EOF instead of a byte means hwprof gave up: do not run the command. */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(err[1]);
	t->pid = pid;
	t->go_fd = go[1];
	t->err_fd = err[0];
	return 0;
}

int target_start(struct target *t)
{
	int e = 0;
	ssize_t n;

	if (write(t->go_fd, "g", 1) != 1)
		return -errno;
	close(t->go_fd);
	t->go_fd = -1;
	do
		n = read(t->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(t->err_fd);
	t->err_fd = -1;
	if (n == (ssize_t)sizeof(e)) {
		t->exec_errno = e;
		while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
			;
		t->pid = -1;
		return -e;
	}
	return 0;
}

int target_wait(struct target *t, int *status, struct rusage *ru)
{
	pid_t r = wait4(t->pid, status, 0, ru);

	if (r < 0)
		return -errno;
	t->pid = -1;
	return 0;
}

void target_release(struct target *t)
{
	if (t->go_fd >= 0) {
		/* Never released: closing the barrier makes the child exit unrun. */
		close(t->go_fd);
		t->go_fd = -1;
		if (t->pid > 0) {
			while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
				;
			t->pid = -1;
		}
	}
	if (t->err_fd >= 0) {
		close(t->err_fd);
		t->err_fd = -1;
	}
}

int target_threads(pid_t pid, pid_t **tids)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	pid_t *list = NULL;
	size_t nr = 0, cap = 0;

	*tids = NULL;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		if (*end || tid <= 0)
			continue;
		xgrow((void **)&list, &cap, nr + 1, sizeof(*list));
		list[nr++] = (pid_t)tid;
	}
	closedir(d);
	if (nr == 0) {
		free(list);
		return -ESRCH;
	}
	*tids = list;
	return (int)nr;
}

int target_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
