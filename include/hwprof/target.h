/* The workload: a child forked and held behind a start barrier, or threads of a running process. */
#ifndef HWPROF_TARGET_H
#define HWPROF_TARGET_H

#include <sys/resource.h>
#include <sys/types.h>

struct target {
	pid_t pid;	/* the child, or -1 */
	int go_fd;	/* write end of the barrier: closing or writing releases the child */
	int err_fd;	/* read end: the child's errno when execvp failed */
	int exec_errno;	/* set by target_start on failure */
};

/* Forks a child that waits at the barrier and then execvp()s ARGV.
 * Returns 0 or -errno; the child is not running ARGV yet. */
int target_spawn(struct target *t, char *const argv[]);
/* Releases the child. Returns 0 once execvp succeeded, or -errno of the
 * failed exec (the child has then exited and been reaped). */
int target_start(struct target *t);
/* waitpid with rusage. Returns 0, or -EINTR when a signal interrupted the
 * wait (call again), or another -errno. */
int target_wait(struct target *t, int *status, struct rusage *ru);
/* Kills a child that never started and closes the barrier. Safe to call twice. */
void target_release(struct target *t);

/* Thread ids of process PID from /proc. Returns their number and *tids
 * (caller frees), or -errno (-ESRCH when the process does not exist). */
int target_threads(pid_t pid, pid_t **tids);

/* hwprof's exit status for a child's wait status: its code, or 128+signal. */
int target_exit_code(int status);

#endif
