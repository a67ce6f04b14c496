/* hwprof record: sample a command, a process or the system into a perf.data file. */
#include "hwprof/arch.h"
#include "hwprof/cmd.h"
#include "hwprof/counters.h"
#include "hwprof/events.h"
#include "hwprof/perfdata.h"
#include "hwprof/recorder.h"
#include "hwprof/sampler.h"
#include "hwprof/synth.h"
#include "hwprof/target.h"
#include "hwprof/tracefs.h"
#include "hwprof/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

enum { OPT_CALL_GRAPH = 256, OPT_OFF_CPU };

static const struct opt_spec record_options[] = {
	{ 'e', 'e', "event", "EVENTS", "events to sample (default: cycles; cpu-clock without a PMU);\n"
				       "'{cycles,instructions,cache-misses}:S' samples on cycles and\n"
				       "reads the group with every sample (per-function IPC)" },
	{ 'F', 'F', "freq", "HZ", "samples per second (default 4000)" },
	{ 'c', 'c', "count", "PERIOD", "one sample every PERIOD events instead" },
	{ 'g', 'g', NULL, NULL, "frame-pointer call chains" },
	{ OPT_CALL_GRAPH, 0, "call-graph", "MODE", "fp; lbr: user callers from the CPU's last branch records\n"
						   "(Intel); or dwarf[,SIZE]: copy SIZE bytes of user stack\n"
						   "(default 8192) for DWARF unwinding at report time" },
	{ OPT_OFF_CPU, 0, "off-cpu", NULL, "also record where and how long threads wait: a switch record\n"
					    "and a sample with the call chain at every context switch\n"
					    "(report shows on-CPU, blocked and runnable time)" },
	{ 'p', 'p', "pid", "PID", "sample every thread of a running process" },
	{ 't', 't', "tid", "TID", "sample one thread only" },
	{ 'a', 'a', "all-cpus", NULL, "sample every CPU (system-wide)" },
	{ 'o', 'o', "output", "FILE", "output file (default hwprof.data; an existing one\n"
				      "becomes FILE.old); - writes a pipe-mode stream to\n"
				      "standard output, for 'hwprof report -i -'" },
	{ 'm', 'm', "mmap-pages", "N", "ring buffer pages per CPU, a power of two (default 128),\n"
				       "or a size: 512K, 4M" },
	{ 'q', 'q', "quiet", NULL, "no notes and no summary, only errors" },
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

struct record_opts {
	struct evlist events;
	bool explicit_events;
	struct sampler_config cfg;
	bool period_given;
	pid_t pid;
	pid_t tid;
	bool system_wide;
	const char *output;
	bool to_stdout;		/* -o -: pipe mode on standard output */
	size_t mmap_pages;
	bool quiet;
	char **argv;
};

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t child_exited;

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		child_exited = 1;
	else
		stop_signal = sig;
}

static int parse_callgraph(const char *arg, struct sampler_config *cfg)
{
	uint64_t size;

	if (!strcmp(arg, "fp")) {
		cfg->callgraph = CALLGRAPH_FP;
		return 0;
	}
	if (!strcmp(arg, "lbr")) {
		cfg->callgraph = CALLGRAPH_LBR;
		return 0;
	}
	if (strncmp(arg, "dwarf", 5) != 0 || (arg[5] && arg[5] != ','))
		return -1;
	cfg->callgraph = CALLGRAPH_DWARF;
	if (arg[5] == ',') {
		/* The kernel takes at most 65528 bytes, in multiples of 8. */
		if (parse_size(arg + 6, 8, 65528, &size) < 0)
			return -1;
		cfg->stack_size = (uint32_t)((size + 7) & ~7ull);
	}
	return 0;
}

/* -m: a number of pages, or a size in bytes (perf's "512K"), a power of two either way. */
static int parse_mmap_pages(const char *arg, size_t *pages)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), v;

	if (parse_uint(arg, 1, 1 << 20, &v) < 0) {
		if (parse_size(arg, page, (uint64_t)page << 20, &v) < 0)
			return -1;
		v /= page;
	}
	if (v & (v - 1))
		return -1;
	*pages = (size_t)v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct record_opts *o)
{
	struct opt_parser p;
	const char *arg;
	char err[256];
	uint64_t v;
	int c;

	cmd_options_begin(&cmd_record, &p, true);
	while ((c = cmd_next_option(&cmd_record, &p, argc, argv, &arg)) != OPT_END) {
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
		case 'F':
			if (parse_uint(arg, 1, 1000000, &v) < 0)
				return cmd_usage_error(&cmd_record, "invalid frequency '%s' (want 1..1000000 Hz)", arg);
			o->cfg.use_freq = true;
			o->cfg.freq = v;
			break;
		case 'c':
			if (parse_uint(arg, 1, UINT64_MAX >> 1, &v) < 0)
				return cmd_usage_error(&cmd_record, "invalid period '%s'", arg);
			o->cfg.use_freq = false;
			o->cfg.period = v;
			o->period_given = true;
			break;
		case 'g':
			o->cfg.callgraph = CALLGRAPH_FP;
			break;
		case OPT_OFF_CPU:
			o->cfg.offcpu = true;
			break;
		case OPT_CALL_GRAPH:
			if (parse_callgraph(arg, &o->cfg) < 0)
				return cmd_usage_error(&cmd_record,
						       "invalid call graph '%s' (want fp, lbr, dwarf or dwarf,SIZE "
						       "with SIZE 8..65528)", arg);
			break;
		case 'p':
		case 't':
			if (parse_uint(arg, 1, INT_MAX, &v) < 0)
				return cmd_usage_error(&cmd_record, "invalid %s '%s'", c == 'p' ? "pid" : "tid", arg);
			if (c == 'p')
				o->pid = (pid_t)v;
			else
				o->tid = (pid_t)v;
			break;
		case 'a':
			o->system_wide = true;
			break;
		case 'o':
			o->output = arg;
			break;
		case 'm':
			if (parse_mmap_pages(arg, &o->mmap_pages) < 0)
				return cmd_usage_error(&cmd_record, "invalid mmap pages '%s' (want a power of two)", arg);
			break;
		case 'q':
			o->quiet = true;
			hwprof_set_quiet(true);
			break;
		case 'h':
			cmd_print_usage(&cmd_record);
			return -1;
		}
	}
	if (optind < argc)
		o->argv = argv + optind;
	if ((o->pid != 0) + (o->tid != 0) + o->system_wide > 1)
		return cmd_usage_error(&cmd_record, "-p, -t and -a cannot be combined");
	if (!o->argv && !o->pid && !o->tid && !o->system_wide)
		return cmd_usage_error(&cmd_record, "no command given (or -p PID, -t TID, or -a)");
	o->to_stdout = !strcmp(o->output, "-");
	return 0;
}

/*
 * perf's convention: a frequency above what the kernel allows
 * (kernel.perf_event_max_sample_rate, which it lowers itself under load)
 * is clamped to it with a note, not refused.
 */
static void clamp_frequency(struct record_opts *o)
{
	char *text;
	unsigned long long max;

	if (!o->cfg.use_freq || read_small_file("/proc/sys/kernel/perf_event_max_sample_rate", &text) < 0)
		return;
	max = strtoull(text, NULL, 10);
	free(text);
	if (max && o->cfg.freq > max) {
		note("-F %llu is above kernel.perf_event_max_sample_rate: sampling at %llu Hz",
		     (unsigned long long)o->cfg.freq, max);
		o->cfg.freq = max;
	}
}

/*
 * The largest sample the events can produce must fit a ring, or every one
 * of them is lost. The kernel keeps a sample under 64 KiB by shortening
 * the stack copy; chains and group reads are bounded by their counts.
 */
static int check_ring_size(const struct record_opts *o)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), ring = o->mmap_pages * page, need = 64 * 8;
	size_t pages = 1;

	need += o->events.nr * 16 + 16;				/* a group read */
	if (o->cfg.callgraph != CALLGRAPH_NONE)
		need += (127 + 8) * 8;				/* kernel.perf_event_max_stack */
	if (o->cfg.callgraph == CALLGRAPH_LBR)
		need += 32 * 24 + 16;				/* the deepest LBRs */
	if (o->cfg.callgraph == CALLGRAPH_FP)
		need += 5 * 8 + SAMPLER_FP_STACK + 16;		/* what framefix needs */
	if (o->cfg.callgraph == CALLGRAPH_DWARF) {
		need += 34 * 8 + o->cfg.stack_size + 16;	/* registers, stack copy */
		if (need > 65535)
			need = 65535;
	}
	if (ring >= need)
		return 0;
	while (pages * page < 2 * need)
		pages *= 2;
	pr_err("samples of these events can take %zu KB, more than a ring of %zu pages (%zu KB) holds: "
	       "use -m %zu or more%s", (need + 1023) / 1024, o->mmap_pages, ring / 1024, pages,
	       o->cfg.callgraph == CALLGRAPH_DWARF ? ", or copy less stack (--call-graph dwarf,SIZE)" : "");
	return EXIT_ERROR;
}

/* Whether another process holds the recording lock of the regular file PATH. */
static bool being_recorded(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	bool busy;

	if (fd < 0)
		return false;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/*
 * Moves an existing output aside as perf does, then creates the file so that
 * it can never be written through a symlink or over someone else's file. The
 * new file stays locked (flock) while it is recorded: a second record to the
 * same path refuses to move a recording in progress aside.
 */
static int create_output(const char *path, int *fd_out)
{
	struct stat st;
	int fd;

	*fd_out = -1;
	if (lstat(path, &st) == 0) {
		char *old;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			/* Never move a directory, device or fifo aside. */
			pr_err("cannot create '%s': exists and is not a regular file", path);
			return EXIT_ERROR;
		}
		if (S_ISREG(st.st_mode) && being_recorded(path)) {
			pr_err("'%s' is being recorded by another hwprof record: choose another -o FILE", path);
			return EXIT_ERROR;
		}
		old = xasprintf("%s.old", path);
		if (rename(path, old) < 0) {
			pr_err("cannot rename '%s' to '%s': %s", path, old, strerror(errno));
			free(old);
			return EXIT_ERROR;
		}
		free(old);
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		pr_err("cannot create '%s': %s", path, strerror(errno));
		return EXIT_ERROR;
	}
	flock(fd, LOCK_EX | LOCK_NB);
	*fd_out = fd;
	return 0;
}

static char *cpu_description(void)
{
	char *text, *line, *desc = NULL;

	if (read_small_file("/proc/cpuinfo", &text) < 0)
		return NULL;
	line = strstr(text, "model name");
	if (line && (line = strchr(line, ':'))) {
		line += 2;
		line[strcspn(line, "\n")] = '\0';
		desc = xstrdup(line);
	}
	free(text);
	return desc;
}

static void say_summary(const struct recorder *r, const struct record_opts *o, const struct pd_writer *w)
{
	struct strbuf sb = { 0 };
	uint64_t total = 0;
	uint64_t bytes = w->data_offset + w->data_size;

	for (size_t i = 0; i < r->nevents; i++)
		total += r->samples[i];
	sb_printf(&sb, "%llu samples", (unsigned long long)total);
	if (r->nevents > 1 || total) {
		sb_puts(&sb, " (");
		for (size_t i = 0; i < r->nevents; i++)
			sb_printf(&sb, "%s%s: %llu", i ? ", " : "", o->events.ev[i].name,
				  (unsigned long long)r->samples[i]);
		sb_puts(&sb, ")");
	}
	sb_printf(&sb, ", %llu lost", (unsigned long long)r->lost_samples);
	if (bytes >= 10 * 1024 * 1024)
		sb_printf(&sb, ", %.1f MB", (double)bytes / (1024.0 * 1024.0));
	else
		sb_printf(&sb, ", %.1f KB", (double)bytes / 1024.0);
	if (o->to_stdout)
		sb_puts(&sb, " written to standard output");
	else
		sb_printf(&sb, " written to '%s'", o->output);
	fprintf(stderr, "hwprof record: %s\n", sb.buf);
	if (r->lost_samples)
		note("%llu samples were lost because the ring buffers filled up: raise -m or lower -F",
		     (unsigned long long)r->lost_samples);
	if (r->chains_cut)
		note("%llu call chains reached kernel.perf_event_max_stack (%u frames) and were cut there: "
		     "raise it with sysctl kernel.perf_event_max_stack=N", (unsigned long long)r->chains_cut,
		     r->max_stack);
	sb_release(&sb);
}

struct session {
	struct record_opts *o;
	struct sampler s;
	struct pd_writer w;
	struct recorder rec;
	struct pd_event *pev;
	struct target t;
	pid_t *tids;
	int fd;
	int pidfd;
};

static int write_failed(struct session *ss, int rc)
{
	pr_err("cannot write '%s': %s", ss->o->output, hwprof_strerror(rc));
	return EXIT_ERROR;
}

/* The events to sample: what the user named, or cycles, or cpu-clock
 * where this kernel has no PMU. Returns 0 or an exit status. */
static int choose_events(struct record_opts *o)
{
	char err[256];
	const char *dflt = "cycles";

	if (o->explicit_events)
		return 0;
	if (hwpmu_probe() == -HWPROF_E_NOPMU) {
		note("this kernel has no hardware PMU (usual in virtual machines): sampling cpu-clock "
		     "instead of cycles");
		dflt = "cpu-clock";
	}
	if (evlist_parse(&o->events, dflt, NULL, err, sizeof(err)) < 0) {
		pr_err("default event: %s", err);
		return EXIT_ERROR;
	}
	return 0;
}

/* --off-cpu: a sample at every switch-out, for the stack where each wait
 * began (the tracking event adds the switch records themselves). */
static int add_offcpu_event(struct record_opts *o)
{
	char err[256];

	if (!o->cfg.offcpu)
		return 0;
	if (evlist_parse(&o->events, "context-switches", NULL, err, sizeof(err)) < 0) {
		pr_err("--off-cpu: %s", err);
		return EXIT_ERROR;
	}
	return 0;
}

static int open_events(struct session *ss)
{
	struct record_opts *o = ss->o;
	const pid_t *tids = NULL;
	size_t ntids = 0, failed;
	int rc;

	if (o->argv && !o->system_wide && !o->pid && !o->tid) {
		tids = &ss->t.pid;
		ntids = 1;
	} else if (o->pid) {
		rc = target_threads(o->pid, &ss->tids);
		if (rc < 0) {
			pr_err("cannot attach to pid %d: %s", (int)o->pid,
			       rc == -ESRCH ? "no such process" : hwprof_strerror(rc));
			return EXIT_ERROR;
		}
		tids = ss->tids;
		ntids = (size_t)rc;
	} else if (o->tid) {
		tids = &o->tid;
		ntids = 1;
	}
	o->cfg.inherit = !o->system_wide && !o->tid;
	o->cfg.enable_on_exec = tids == &ss->t.pid;
	rc = sampler_open(&ss->s, &o->events, &o->cfg, tids, ntids, o->mmap_pages, &failed);
	if (rc < 0) {
		struct strbuf why = { 0 };
		int no_pmu = hwpmu_probe() == -HWPROF_E_NOPMU;
		if (rc == -ESRCH && (o->pid || o->tid))
			sb_printf(&why, "no such process");
		else if (o->cfg.callgraph == CALLGRAPH_LBR && (rc == -EOPNOTSUPP || rc == -EINVAL || no_pmu))
			sb_printf(&why, "--call-graph lbr needs a hardware event on a CPU with LBR call stacks "
				  "(Intel Haswell and later)%s; use -g or --call-graph dwarf",
				  no_pmu ? ", and this kernel has no PMU" : "");
		else
			counters_explain(-rc, &ss->s.ev[failed].attr, no_pmu, &why);
		pr_err("cannot sample '%s': %s", o->events.ev[failed].name, why.buf);
		sb_release(&why);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < ss->s.nev; i++) {
		if (ss->s.ev[i].user_only) {
			note("kernel.perf_event_paranoid forbids sampling kernel code: "
			     "recording user space only");
			break;
		}
	}
	if (o->cfg.offcpu && ss->s.ev[ss->s.nev - 1].user_only)
		note("--off-cpu as a user: the kernel takes no sample when a thread switches out, so each wait is "
		     "charged to the thread's last on-CPU sample, which may not be where it blocked; as root, or "
		     "with kernel.perf_event_paranoid 1, waits get the stack where they began");
	for (size_t i = 0; i < ss->s.nev; i++) {
		if (ss->s.ev[i].no_inherit) {
			note("this kernel cannot follow new threads while reading groups "
			     "(PERF_SAMPLE_READ with inherit needs Linux 6.12): only existing threads are sampled");
			break;
		}
	}
	return 0;
}

static void fill_meta(struct pd_meta *m, struct utsname *u, char **argv_all, int argc_all)
{
	struct sysinfo si;

	memset(m, 0, sizeof(*m));
	if (uname(u) == 0) {
		m->hostname = u->nodename;
		m->osrelease = u->release;
		m->arch = u->machine;
	}
	m->version = PACKAGE_STRING;
	m->nr_cpus_online = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	m->nr_cpus_avail = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	if (sysinfo(&si) == 0)
		m->total_mem_kb = (uint64_t)si.totalram * si.mem_unit / 1024;
	m->cmdline = (const char *const *)argv_all;
	m->cmdline_nr = (size_t)argc_all;
}

/* Drains every ring, then marks the round. Returns 0 or -errno. */
static int drain(struct session *ss)
{
	long n = sampler_drain(&ss->s, ss->rec.repair ? recorder_observe : NULL, recorder_record, &ss->rec);

	if (n < 0)
		return (int)n;
	return recorder_round(&ss->rec);
}

/* Whether PID is a zombie, leaving it to be reaped with its status later. */
static bool child_has_exited(pid_t pid)
{
	siginfo_t info = { 0 };

	if (pid <= 0)
		return false;
	if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD;
	return info.si_pid == pid;
}

static int record_loop(struct session *ss, const sigset_t *orig)
{
	struct record_opts *o = ss->o;
	double last_checkpoint = now_seconds();
	int rc;

	for (;;) {
		int fired = sampler_poll(&ss->s, 200, ss->pidfd, orig);

		rc = drain(ss);
		if (rc < 0)
			return rc;
		if (now_seconds() - last_checkpoint >= 1.0) {
			/* Keeps the file readable even if hwprof is killed outright. */
			rc = pdw_checkpoint(&ss->w);
			if (rc < 0)
				return rc;
			last_checkpoint = now_seconds();
		}
		if (stop_signal || fired)
			break;
		if (child_exited && ss->t.pid > 0) {
			child_exited = 0;
			if (child_has_exited(ss->t.pid))
				break;
		}
		if (o->argv && (o->pid || o->system_wide) && child_has_exited(ss->t.pid))
			break;
	}
	return 0;
}

/* The tracepoints' format files, which perf needs to read their samples. */
static void add_tracing_data(const struct record_opts *o, struct pd_meta *meta, struct strbuf *sb)
{
	const char **names = xmalloc((o->events.nr ? o->events.nr : 1) * sizeof(*names));
	char why[256];
	const char *dir;
	size_t n = 0;

	for (size_t i = 0; i < o->events.nr; i++)
		if (o->events.ev[i].tracepoint)
			names[n++] = o->events.ev[i].tracepoint;
	if (n && (dir = tracefs_dir(NULL, why, sizeof(why))) && tracefs_tracing_data(dir, names, n, sb) == 0) {
		meta->tracing_data = sb->buf;
		meta->tracing_len = sb->len;
	} else if (n) {
		note("the tracepoints' formats could not be saved: perf will not read this file's tracepoint samples");
	}
	free(names);
}

static int cmd_record_exec(int argc, char **argv)
{
	struct record_opts o = { .cfg = { .use_freq = true, .freq = 4000, .stack_size = 8192 },
				 .output = "hwprof.data", .mmap_pages = 128 };
	struct session ss = { .o = &o, .fd = -1, .pidfd = -1, .t = { .pid = -1, .go_fd = -1, .err_fd = -1 } };
	struct synth_ctx sctx = { 0 };
	struct pd_build_id *bids = NULL;
	struct pd_meta meta;
	struct strbuf tracing = { 0 };
	struct utsname uts;
	struct sigaction sa;
	sigset_t block, orig;
	char *cpudesc = NULL, *stats = NULL;
	bool started = false, output_bad = false;
	int status = 0, rc, ret = EXIT_OK, write_err = 0;

	evlist_init(&o.events);
	rc = parse_opts(argc, argv, &o);
	if (rc) {
		evlist_release(&o.events);
		return rc < 0 ? EXIT_OK : rc;
	}
	ret = choose_events(&o);
	if (!ret)
		ret = add_offcpu_event(&o);
	if (ret)
		goto out;
	clamp_frequency(&o);
	ret = check_ring_size(&o);
	if (ret)
		goto out;
	if (o.to_stdout) {
		if (isatty(STDOUT_FILENO)) {
			pr_err("-o - writes a binary stream: send it to a pipe or a file, not a terminal");
			ret = EXIT_ERROR;
			goto out;
		}
		ss.fd = dup(STDOUT_FILENO);
		/* The workload's own output must not mix into the stream. */
		if (ss.fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			pr_err("cannot use standard output: %s", strerror(errno));
			ret = EXIT_ERROR;
			goto out;
		}
	} else {
		ret = create_output(o.output, &ss.fd);
		if (ret)
			goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	/* Past RLIMIT_FSIZE, write() then fails with EFBIG and the error is reported. */
	signal(SIGXFSZ, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);

	if (o.argv) {
		rc = target_spawn(&ss.t, o.argv);
		if (rc < 0) {
			pr_err("cannot start '%s': %s", o.argv[0], hwprof_strerror(rc));
			ret = EXIT_ERROR;
			output_bad = true;
			goto out;
		}
	}
	ret = open_events(&ss);
	if (ret) {
		output_bad = true;
		goto out;
	}
	ss.pev = xcalloc(ss.s.nev, sizeof(*ss.pev));
	for (size_t i = 0; i < ss.s.nev; i++) {
		struct perf_event_attr fa = ss.s.ev[i].attr;
		if (o.cfg.callgraph == CALLGRAPH_FP) {
			/* The registers and stack copy serve the recorder only. */
			fa.sample_type &= ~(uint64_t)(PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER);
			fa.sample_regs_user = 0;
			fa.sample_stack_user = 0;
		}
		ss.pev[i] = (struct pd_event){
			.attr = fa,
			.name = o.events.ev[i].name,
			.ids = ss.s.ev[i].ids,
			.nids = ss.s.ev[i].nids,
			.leader = o.events.ev[i].leader,
			.group_size = o.events.ev[i].group_size,
		};
	}
	fill_meta(&meta, &uts, argv - 1, argc + 1);
	cpudesc = cpu_description();
	meta.cpudesc = cpudesc;
	rc = o.to_stdout ? pdw_create_pipe(&ss.w, ss.fd, ss.pev, ss.s.nev, &meta)
			 : pdw_create(&ss.w, ss.fd, ss.pev, ss.s.nev);
	if (rc < 0) {
		ret = write_failed(&ss, rc);
		output_bad = true;
		goto out;
	}
	recorder_init(&ss.rec, &ss.w, ss.pev, ss.s.nev, o.cfg.callgraph == CALLGRAPH_DWARF);
	if (o.cfg.callgraph == CALLGRAPH_FP) {
		struct perf_event_attr *ka = xcalloc(ss.s.nev, sizeof(*ka));
		for (size_t i = 0; i < ss.s.nev; i++)
			ka[i] = ss.s.ev[i].attr;
		recorder_repair_chains(&ss.rec, ka, arch_host());
		free(ka);
	}
	sctx.seen = recorder_observe;
	sctx.seen_arg = &ss.rec;
	sctx.sample_type = ss.pev[0].attr.sample_type;
	sctx.id = ss.pev[0].ids[0];
	synth_kernel_mmap(&ss.w, &sctx);
	if (o.pid || o.tid)
		rc = synth_process(&ss.w, &sctx, o.pid ? o.pid : o.tid);
	else if (o.system_wide)
		rc = synth_all_processes(&ss.w, &sctx);
	if (rc < 0 && rc != -ESRCH) {
		ret = write_failed(&ss, rc);
		output_bad = true;
		goto out;
	}
	if (o.pid)
		ss.pidfd = (int)syscall(SYS_pidfd_open, o.pid, 0);
	rc = pdw_checkpoint(&ss.w);
	if (rc < 0) {
		ret = write_failed(&ss, rc);
		output_bad = true;
		goto out;
	}

	sigprocmask(SIG_BLOCK, &block, &orig);
	if (!o.cfg.enable_on_exec && (rc = sampler_enable(&ss.s)) < 0) {
		sigprocmask(SIG_SETMASK, &orig, NULL);
		pr_err("cannot enable events: %s", hwprof_strerror(rc));
		ret = EXIT_ERROR;
		output_bad = true;
		goto out;
	}
	if (o.argv) {
		rc = target_start(&ss.t);
		if (rc < 0) {
			sigprocmask(SIG_SETMASK, &orig, NULL);
			pr_err("cannot run '%s': %s", o.argv[0], hwprof_strerror(rc));
			ret = EXIT_CANNOT_RUN;
			output_bad = true;
			goto out;
		}
		started = true;
	}
	rc = record_loop(&ss, &orig);
	sampler_disable(&ss.s);
	if (rc == 0)
		rc = drain(&ss);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if (rc < 0) {
		/* Disk full, file too large: what was written whole is kept and
		 * made readable; the workload is not punished for it. */
		write_err = rc;
		if (pdw_salvage(&ss.w) < 0)
			output_bad = true;
		if (started && ss.t.pid > 0 && !stop_signal && !child_has_exited(ss.t.pid))
			note("'%s' goes on to its end, no longer recorded", o.argv[0]);
	}
	if (started && ss.t.pid > 0) {
		/* Interrupted before the command ended: it gets the signal perf would send. */
		if (stop_signal && !child_has_exited(ss.t.pid))
			kill(ss.t.pid, SIGTERM);
		while (waitpid(ss.t.pid, &status, 0) < 0 && errno == EINTR)
			;
		ss.t.pid = -1;
		if (!output_bad && !write_err)
			ret = target_exit_code(status);
	}
	if (output_bad) {
		ret = write_failed(&ss, write_err);
		goto out;
	}

	meta.nbuild_ids = recorder_build_ids(&ss.rec, &bids);
	if (ss.rec.repair) {
		stats = xasprintf("fp_checked=%llu\nfp_repaired=%llu\nfp_unchecked=%llu\n",
				  (unsigned long long)ss.rec.fp_checked, (unsigned long long)ss.rec.fp_repaired,
				  (unsigned long long)ss.rec.fp_unchecked);
		meta.hwprof_stats = stats;
	}
	meta.build_ids = bids;
	add_tracing_data(&o, &meta, &tracing);
	rc = pdw_finish(&ss.w, &meta);
	if (rc == 0 && !o.to_stdout && fsync(ss.fd) < 0 && errno != EINVAL)
		rc = -errno;
	if (rc < 0 && !o.to_stdout) {
		/* No room for the feature sections: keep the records, say so. */
		if (!write_err)
			write_err = rc;
		if (pdw_salvage(&ss.w) < 0) {
			ret = write_failed(&ss, rc);
			output_bad = true;
			goto out;
		}
	} else if (rc < 0) {
		ret = write_failed(&ss, rc);
		goto out;
	}
	if (write_err) {
		pr_err("cannot write '%s': %s: kept the %.1f KB of records written before that, readable "
		       "by report", o.output, hwprof_strerror(write_err),
		       (double)(ss.w.data_offset + ss.w.written) / 1024.0);
		ret = EXIT_ERROR;
		goto out;
	}
	if (!o.quiet)
		say_summary(&ss.rec, &o, &ss.w);
	if (started && WIFSIGNALED(status))
		pr_err("'%s' terminated by signal %d (%s)", o.argv[0], WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
out:
	if (output_bad && ss.fd >= 0 && !o.to_stdout) {
		/* A file that cannot be completed must not pretend to be a recording. */
		unlink(o.output);
	}
	if (ss.fd >= 0)
		close(ss.fd);
	if (ss.pidfd >= 0)
		close(ss.pidfd);
	target_release(&ss.t);
	recorder_release(&ss.rec);
	pdw_release(&ss.w);
	sampler_close(&ss.s);
	free(ss.pev);
	free(ss.tids);
	free(bids);
	free(cpudesc);
	free(stats);
	sb_release(&tracing);
	evlist_release(&o.events);
	return ret;
}

const struct hwprof_cmd cmd_record = {
	.name = "record",
	.summary = "sample where a command spends its time into a perf.data file",
	.synopsis = "usage: hwprof record [-e EVENTS] [-F HZ | -c PERIOD] [-g | --call-graph fp|dwarf[,SIZE]]\n"
		    "                     [--off-cpu] [-p PID | -t TID | -a] [-o FILE] [-m PAGES] [--] [CMD [ARGS]]\n",
	.description = "Samples where CMD (and every thread and child it starts) spends its time,\n"
		       "or process PID, or every CPU, into a perf.data file that 'hwprof report'\n"
		       "and 'perf report' read.\n",
	.options = record_options,
	.epilogue = "The exit status is CMD's (128+N when signal N killed it, 127 when it\n"
		    "cannot be run); 1 on errors; 2 on usage errors.\n"
		    "\n"
		    "EXAMPLES\n"
		    "    hwprof record --off-cpu -g -- ./app        # where it waits, too\n"
		    "    hwprof record -g -- ./app\n"
		    "    hwprof record --call-graph dwarf -F 1000 -- ./app-without-frame-pointers\n"
		    "    hwprof record -e '{cycles,instructions,cache-misses}:S' -g -- ./app\n"
		    "    hwprof record -e cache-misses -c 10000 -- ./app\n"
		    "    hwprof record -g -p 1234 -- sleep 30\n"
		    "    hwprof record -g -o - -- ./app | hwprof report -i -\n",
	.exec = cmd_record_exec,
};
