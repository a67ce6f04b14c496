/* hwprof stat: count events over a command, a running process or the whole system. */
#include "hwprof/cmd.h"
#include "hwprof/counters.h"
#include "hwprof/events.h"
#include "hwprof/metrics.h"
#include "hwprof/stat-output.h"
#include "hwprof/target.h"
#include "hwprof/util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct opt_spec stat_options[] = {
	{ 'e', 'e', "event", "EVENTS", "events to count, comma-separated, as perf spells them:\n"
				       "cycles, instructions, cache-misses, L1-dcache-load-misses,\n"
				       "r01c2, cpu/event=0x3c/, {cycles,instructions}, name:u\n"
				       "('hwprof list' shows them); may be repeated" },
	{ 'r', 'r', "repeat", "N", "run CMD N times; print means and +- standard error" },
	{ 'x', 'x', "field-separator", "SEP", "print one CSV-like line per event, fields joined by SEP" },
	{ 'j', 'j', "json", NULL, "print one JSON document" },
	{ 'o', 'o', "output", "FILE", "write the results to FILE instead of stderr" },
	{ 'p', 'p', "pid", "PID", "count the threads of a running process" },
	{ 'a', 'a', "all-cpus", NULL, "count every task on every CPU (system-wide)" },
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

static const char default_events[] =
	"task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,"
	"branches,branch-misses,cache-references,cache-misses";

struct stat_opts {
	struct evlist events;
	bool explicit_events;
	unsigned repeat;
	const char *csv_sep;
	bool json;
	const char *output;
	pid_t pid;
	bool system_wide;
	char **argv; /* the command, or NULL */
};

/* Per event, accumulated over runs. */
struct stat_acc {
	struct runstat value;
	uint64_t running_ns;
	double running_pct;
	int err;
	bool user_only;
	bool never_ran;
};

static volatile sig_atomic_t stop_signal;
static volatile pid_t forward_pid = -1;

static void on_signal(int sig)
{
	stop_signal = sig;
	/* SIGINT from a terminal reaches the workload's process group by itself;
	 * SIGTERM is usually aimed at hwprof alone, so pass it on. */
	if (sig == SIGTERM && forward_pid > 0)
		kill(forward_pid, SIGTERM);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static char *join_argv(char **argv)
{
	struct strbuf sb = { 0 };

	for (char **a = argv; *a; a++) {
		if (a != argv)
			sb_puts(&sb, " ");
		sb_puts(&sb, *a);
	}
	return sb_detach(&sb);
}

/* Whether PID runs as our effective user (the kernel's ptrace check, simplified). */
static bool owns_process(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0 && st.st_uid == geteuid();
}

/* Reports counters that could not be opened. An event the user named is
 * fatal; a default one is shown as <not supported>, unless none of the
 * defaults opened (another user's process, say): then the first software
 * event's reason is the error, as if it had been named. Returns 0 or EXIT_ERROR. */
static int check_opened(const struct stat_opts *o, const struct counters *cs, bool *no_pmu_seen)
{
	int no_pmu = -1; /* unknown until a hardware event fails */
	bool all_failed = cs->nr > 0;

	for (size_t i = 0; i < cs->nr; i++)
		all_failed &= cs->c[i].err != 0;
	for (size_t i = 0; i < cs->nr; i++) {
		const struct counter *c = &cs->c[i];
		struct strbuf why = { 0 };

		if (!c->err)
			continue;
		if (no_pmu < 0)
			no_pmu = hwpmu_probe() == -HWPROF_E_NOPMU;
		if (no_pmu && c->ev->needs_pmu)
			*no_pmu_seen = true;
		if (!o->explicit_events && !(all_failed && !c->ev->needs_pmu))
			continue;
		if ((c->err == EACCES || c->err == EPERM) && o->pid > 0 && !owns_process(o->pid))
			sb_printf(&why, "permission denied: process %d belongs to another user; "
					"run as root or grant CAP_PERFMON", (int)o->pid);
		else
			counters_explain(c->err, &c->attr, no_pmu, &why);
		pr_err("cannot count '%s': %s", c->ev->name, why.buf);
		sb_release(&why);
		return EXIT_ERROR;
	}
	return 0;
}

static void accumulate(struct stat_acc *acc, const struct counters *cs)
{
	for (size_t i = 0; i < cs->nr; i++) {
		const struct counter *c = &cs->c[i];
		acc[i].err = c->err;
		acc[i].user_only |= c->user_only;
		if (c->err)
			continue;
		acc[i].never_ran = c->running == 0;
		acc[i].running_ns = c->running;
		acc[i].running_pct = c->enabled ? 100.0 * (double)c->running / (double)c->enabled : 100.0;
		if (c->running)
			runstat_add(&acc[i].value, counter_scaled(c));
	}
}

/* Waits for the signal that ends an open-ended count, or for PID to exit.
 * SIGINT/SIGTERM are blocked by the caller so none is lost before ppoll. */
static void wait_for_end(pid_t pid, const sigset_t *orig)
{
	int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 100000000L };

	while (!stop_signal) {
		/* Without a pidfd (old kernels), check the pid every 100 ms. */
		int r = ppoll(pidfd >= 0 ? &pfd : NULL, pidfd >= 0, pid > 0 && pidfd < 0 ? &tick : NULL,
			      orig);
		if (r > 0)
			break;
		if (pid > 0 && pidfd < 0 && kill(pid, 0) < 0 && errno == ESRCH)
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
}

struct run_result {
	double wall_s;
	bool have_rusage;
	struct rusage ru;
	bool have_status;
	int status;
};

/* One measurement. Returns 0, or the exit status hwprof must end with. */
static int run_once(struct stat_opts *o, struct stat_acc *acc, bool *no_pmu_seen,
		    struct run_result *res)
{
	struct counter_target ct = { 0 };
	struct counters cs = { 0 };
	struct target t = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	pid_t *tids = NULL;
	int *cpus = NULL;
	sigset_t block, orig;
	double t0;
	int rc, ret = 0;

	memset(res, 0, sizeof(*res));
	if (o->argv) {
		rc = target_spawn(&t, o->argv);
		if (rc < 0) {
			pr_err("cannot start '%s': %s", o->argv[0], hwprof_strerror(rc));
			return EXIT_ERROR;
		}
	}
	if (o->system_wide) {
		rc = online_cpus(&cpus);
		if (rc < 0) {
			pr_err("cannot read the online CPU list: %s", hwprof_strerror(rc));
			ret = EXIT_ERROR;
			goto out;
		}
		ct.cpus = cpus;
		ct.ncpus = (size_t)rc;
	} else if (o->pid > 0) {
		rc = target_threads(o->pid, &tids);
		if (rc < 0) {
			pr_err("cannot attach to pid %d: %s", (int)o->pid,
			       rc == -ESRCH ? "no such process" : hwprof_strerror(rc));
			ret = EXIT_ERROR;
			goto out;
		}
		ct.tids = tids;
		ct.ntids = (size_t)rc;
	} else {
		ct.tids = &t.pid;
		ct.ntids = 1;
		ct.enable_on_exec = true;
	}
	rc = counters_open(&cs, &o->events, &ct);
	if (rc < 0) {
		pr_err("cannot open counters: %s", hwprof_strerror(rc));
		ret = EXIT_ERROR;
		goto out;
	}
	ret = check_opened(o, &cs, no_pmu_seen);
	if (ret)
		goto out;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	if (!ct.enable_on_exec && (rc = counters_enable(&cs)) < 0) {
		sigprocmask(SIG_SETMASK, &orig, NULL);
		pr_err("cannot enable counters: %s", hwprof_strerror(rc));
		ret = EXIT_ERROR;
		goto out;
	}
	t0 = now_seconds();
	if (o->argv) {
		forward_pid = t.pid;
		sigprocmask(SIG_SETMASK, &orig, NULL);
		rc = target_start(&t);
		if (rc < 0) {
			forward_pid = -1;
			pr_err("cannot run '%s': %s", o->argv[0], hwprof_strerror(rc));
			ret = EXIT_CANNOT_RUN;
			goto out;
		}
		while ((rc = target_wait(&t, &res->status, &res->ru)) == -EINTR)
			;
		forward_pid = -1;
		if (rc < 0) {
			pr_err("waiting for '%s': %s", o->argv[0], hwprof_strerror(rc));
			ret = EXIT_ERROR;
			goto out;
		}
		res->have_status = true;
		res->have_rusage = true;
	} else {
		wait_for_end(o->system_wide ? -1 : o->pid, &orig);
		sigprocmask(SIG_SETMASK, &orig, NULL);
	}
	res->wall_s = now_seconds() - t0;
	if (!ct.enable_on_exec)
		counters_disable(&cs);
	rc = counters_read(&cs);
	if (rc < 0) {
		pr_err("cannot read counters: %s", hwprof_strerror(rc));
		ret = EXIT_ERROR;
		goto out;
	}
	accumulate(acc, &cs);
out:
	counters_close(&cs);
	target_release(&t);
	free(tids);
	free(cpus);
	return ret;
}

static int parse_opts(int argc, char **argv, struct stat_opts *o)
{
	struct opt_parser p;
	const char *arg;
	char err[256];
	int c;

	cmd_options_begin(&cmd_stat, &p, true);
	while ((c = cmd_next_option(&cmd_stat, &p, argc, argv, &arg)) != OPT_END) {
		uint64_t v;

		switch (c) {
		case OPT_ERROR:
			return EXIT_USAGE;
		case 'e':
			if (evlist_parse(&o->events, arg, NULL, err, sizeof(err)) < 0) {
				pr_err("invalid event '%s': %s", arg, err);
				return EXIT_ERROR;
			}
			o->explicit_events = true;
			break;
		case 'r':
			if (parse_uint(arg, 1, 100000, &v) < 0)
				return cmd_usage_error(&cmd_stat, "invalid repeat count '%s' (want 1..100000)", arg);
			o->repeat = (unsigned)v;
			break;
		case 'x':
			if (!*arg)
				return cmd_usage_error(&cmd_stat, "empty field separator");
			o->csv_sep = arg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'o':
			o->output = arg;
			break;
		case 'p':
			if (parse_uint(arg, 1, INT_MAX, &v) < 0)
				return cmd_usage_error(&cmd_stat, "invalid pid '%s'", arg);
			o->pid = (pid_t)v;
			break;
		case 'a':
			o->system_wide = true;
			break;
		case 'h':
			cmd_print_usage(&cmd_stat);
			return -1;
		}
	}
	if (optind < argc)
		o->argv = argv + optind;
	if (o->pid && o->system_wide)
		return cmd_usage_error(&cmd_stat, "-p and -a cannot be combined");
	if (!o->argv && !o->pid && !o->system_wide)
		return cmd_usage_error(&cmd_stat, "no command given (or -p PID, or -a)");
	if (o->csv_sep && o->json)
		return cmd_usage_error(&cmd_stat, "-x and --json cannot be combined");
	if (o->repeat > 1 && !o->argv)
		return cmd_usage_error(&cmd_stat, "-r needs a command to repeat");
	if (!o->explicit_events && evlist_parse(&o->events, default_events, NULL, err, sizeof(err)) < 0) {
		pr_err("default events: %s", err);
		return EXIT_ERROR;
	}
	return 0;
}

static int cmd_stat_exec(int argc, char **argv)
{
	struct stat_opts o = { .repeat = 1 };
	struct stat_acc *acc = NULL;
	struct stat_row *rows = NULL;
	struct runstat wall = { 0 };
	struct run_result res = { 0 };
	double user_s = 0, sys_s = 0;
	const char *notes[2];
	size_t nnotes = 0;
	bool no_pmu_seen = false, user_only = false;
	char *target_desc = NULL;
	FILE *out = stderr;
	struct outfile of = { 0 };
	bool printed = false;
	char oerr[512];
	unsigned runs = 0;
	int rc, ret = EXIT_OK;

	evlist_init(&o.events);
	rc = parse_opts(argc, argv, &o);
	if (rc) {
		evlist_release(&o.events);
		return rc < 0 ? EXIT_OK : rc;
	}
	if (o.output) {
		if (outfile_open(&of, o.output, oerr, sizeof(oerr)) < 0) {
			pr_err("%s", oerr);
			evlist_release(&o.events);
			return EXIT_ERROR;
		}
		out = of.f;
	}
	install_signals();
	acc = xcalloc(o.events.nr, sizeof(*acc));
	for (unsigned r = 0; r < o.repeat && !(r > 0 && stop_signal); r++) {
		rc = run_once(&o, acc, &no_pmu_seen, &res);
		if (rc) {
			ret = rc;
			goto out;
		}
		runs++;
		runstat_add(&wall, res.wall_s);
		if (res.have_rusage) {
			user_s += (double)res.ru.ru_utime.tv_sec + res.ru.ru_utime.tv_usec / 1e6;
			sys_s += (double)res.ru.ru_stime.tv_sec + res.ru.ru_stime.tv_usec / 1e6;
		}
		if (res.have_status)
			ret = target_exit_code(res.status);
	}

	if (no_pmu_seen)
		notes[nnotes++] = "this kernel has no hardware PMU (usual in virtual machines): hardware "
				  "events show <not supported>; software events such as task-clock, "
				  "page-faults and context-switches are still counted";
	rows = xcalloc(o.events.nr, sizeof(*rows));
	for (size_t i = 0; i < o.events.nr; i++) {
		rows[i].name = o.events.ev[i].name;
		rows[i].attr = &o.events.ev[i].attr;
		rows[i].running_ns = acc[i].running_ns;
		rows[i].running_pct = acc[i].running_pct;
		user_only |= acc[i].user_only;
		if (acc[i].err) {
			rows[i].status = STAT_NOT_SUPPORTED;
		} else if (acc[i].value.n == 0) {
			rows[i].status = STAT_NOT_COUNTED;
		} else {
			rows[i].value = acc[i].value.mean;
			rows[i].stddev_pct = runstat_rel_stderr_pct(&acc[i].value);
		}
	}
	if (user_only)
		notes[nnotes++] = "kernel.perf_event_paranoid forbids counting kernel code: "
				  "counts are for user space only";
	for (size_t i = 0; i < nnotes; i++)
		note("%s", notes[i]);

	if (o.argv) {
		char *cmdline = join_argv(o.argv);
		target_desc = xasprintf("'%s'", cmdline);
		free(cmdline);
	} else if (o.pid) {
		target_desc = xasprintf("process id '%d'", (int)o.pid);
	} else {
		target_desc = xstrdup("'system wide'");
	}
	{
		struct stat_result sr = {
			.target = target_desc,
			.rows = rows,
			.nr = o.events.nr,
			.runs = runs,
			.wall_s = wall.mean,
			.wall_stddev_pct = runstat_rel_stderr_pct(&wall),
			.have_rusage = res.have_rusage,
			.user_s = runs ? user_s / runs : 0,
			.sys_s = runs ? sys_s / runs : 0,
			.have_exit_status = res.have_status,
			.exit_status = ret,
			.notes = notes,
			.nnotes = nnotes,
		};
		if (o.json)
			stat_print_json(out, &sr);
		else if (o.csv_sep)
			stat_print_csv(out, &sr, o.csv_sep);
		else
			stat_print_table(out, &sr);
		printed = true;
	}
	if (o.argv && res.have_status && WIFSIGNALED(res.status))
		pr_err("'%s' terminated by signal %d (%s)", o.argv[0], WTERMSIG(res.status),
		       strsignal(WTERMSIG(res.status)));
out:
	/* The results replace FILE only when there are results. */
	if (o.output && printed) {
		if (outfile_commit(&of, oerr, sizeof(oerr)) < 0) {
			pr_err("%s", oerr);
			ret = EXIT_ERROR;
		}
	} else if (o.output) {
		outfile_abort(&of);
	}
	free(target_desc);
	free(rows);
	free(acc);
	evlist_release(&o.events);
	return ret;
}

const struct hwprof_cmd cmd_stat = {
	.name = "stat",
	.summary = "count events while a command runs",
	.synopsis = "usage: hwprof stat [-e EVENTS] [-r N] [-x SEP | --json] [-o FILE] [-p PID | -a] [--] [CMD [ARGS]]\n",
	.description = "Counts hardware and software events while CMD runs, while process PID runs\n"
		       "(-p, until Ctrl-C), or on every CPU (-a), and prints counts with derived\n"
		       "metrics: IPC, cache-miss and branch-miss rates, MPKI, CPU utilisation.\n",
	.options = stat_options,
	.epilogue = "Results go to stderr (or FILE) so that CMD's own output stays clean.\n"
		    "The exit status is CMD's: its exit code, or 128+N when signal N killed it;\n"
		    "127 when CMD cannot be run; 1 on errors; 2 on usage errors.\n"
		    "\n"
		    "EXAMPLES\n"
		    "    hwprof stat -- ./app input.txt\n"
		    "    hwprof stat -e cycles,instructions,cache-references,cache-misses -r 5 -- ./app\n"
		    "    hwprof stat -e '{L1-dcache-loads,L1-dcache-load-misses}' -- ./app\n"
		    "    hwprof stat -p 1234 -- sleep 30\n"
		    "    hwprof stat -x, -o counts.csv -- make -j2\n",
	.exec = cmd_stat_exec,
};
