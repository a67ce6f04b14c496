/* The report pipeline: reader -> ordering -> session -> symbols -> histogram. */
#ifndef HWPROF_REPORT_H
#define HWPROF_REPORT_H

#include "hwprof/frame.h"
#include "hwprof/hist.h"
#include "hwprof/index.h"
#include "hwprof/ordered.h"
#include "hwprof/perfdata.h"
#include "hwprof/session.h"
#include "hwprof/symbols.h"
#include "hwprof/unwind.h"
#include "hwprof/util.h"

#include <stdbool.h>
#include <sys/types.h>

struct report_opts {
	const char *input;
	enum hist_key keys[HK_NR];
	size_t nkeys;
	bool children;			/* inclusive periods from call chains */
	bool inline_frames;		/* attribute to the innermost inlined function */
	const char *trace_field;	/* the trace key shows this tracepoint field; NULL: all */
	bool callgraph;			/* keep each row's callers tree (-g) */
	bool collect_stacks;		/* keep every distinct stack, for exports */
	bool loc_lines;			/* and each stack location's source lines */
	const char *annotate;		/* keep per-address counts of this function */
	bool annotate_all;		/* or of every user function */
	bool no_kallsyms;		/* never read /proc/kallsyms (fuzzing, tests) */
	struct symbols *syms;		/* borrowed symbol tables to reuse; NULL: the report's own */
	const char *comm;		/* filters; NULL / -1 for none */
	pid_t pid;
	const char *dso;
	const char *symfs;
	const char *debug_dir;
};

struct id_value {
	uint64_t id;
	uint32_t tid;
	uint64_t value;
};

/* Whether the recording's kernel is the running one (see same_kernel). */
enum kernel_match { KERNEL_SAME, KERNEL_OTHER, KERNEL_UNKNOWN };

/* One frame resolved into the key fields of a hist point. The strings are
 * reused from sample to sample and have no length limit. */
struct frame_text {
	struct strbuf sym;
	struct strbuf src;		/* empty unless source lines are wanted */
	const char *dso;
	bool kernel;
	struct dso *d;			/* NULL when in no mapping */
	uint64_t vaddr;			/* the address as the file numbers it */
	const struct syminline *chain;	/* with --inline: functions inlined there, innermost first */
	size_t nchain;
};

/* A caller of the current sample's row, one per function: with --inline,
 * every inlined function is a caller of the one inlined into it. */
struct caller_entry {
	const struct frame_text *ft;
	const char *sym;
};

#define OFFCPU_WEIGHTS 4

/* Where one thread's time went (recordings with switch records), in ns. */
struct report_thread_time {
	uint32_t pid, tid;
	char *comm;
	double oncpu, blocked, runnable;
	uint64_t intervals, no_stack;
	bool shown;			/* passes --comm and --pid */
};

/* A function at a line: one level of a location's inline chain. */
struct report_line {
	char *func;
	char *file;			/* "" when unknown */
	int line;			/* 0 when unknown */
};

/* A distinct code location: one address of one file (or of the kernel). */
struct report_loc {
	struct dso *dso;		/* NULL when in no mapping */
	uint64_t vaddr;			/* address as the file numbers it (absolute for the kernel) */
	bool kernel;
	char *name;			/* function, or the address as text */
	char **frames;			/* the frames it stands for, innermost first: its
					 * name, or with a chain "inner (inlined)" ... "outer" */
	size_t nframes;
	struct report_line *lines;	/* with opts.loc_lines: innermost inlined function at
					 * its line, then each caller at the call site */
	size_t nlines;
};

/* A distinct call stack, innermost location first. */
struct report_stack {
	uint32_t *locs;
	size_t n;
	char *comm;
	uint32_t pid;
	uint64_t *samples;		/* per event */
	double *period;			/* per event */
	uint64_t hash;
};

/* Samples at one address of an annotated function. */
struct report_addr {
	struct dso *dso;
	uint64_t vaddr;
	uint64_t *samples;		/* per event */
};

/* report.c's working state while it reads: the session, the ordering queue,
 * the current sample's frames, the unwinder. No other file needs it. */
struct report_work;

/*
 * A loaded report: what the stages before the outputs produced. Outputs,
 * exporters, annotate and diff read it (as const) and never change it.
 */
struct report {
	struct report_opts opts;
	struct pd_reader reader;	/* the recording: events, features */
	struct symbols *syms;
	struct hist hist;		/* rows per sort key, per event */
	enum kernel_match kernel_match;	/* kallsyms applies unless KERNEL_OTHER */
	uint64_t lost_samples;		/* PERF_RECORD_LOST_SAMPLES */
	uint64_t lost_records;		/* samples in PERF_RECORD_LOST */
	uint64_t unattributed;		/* samples of no known event */
	uint64_t undecodable;		/* samples that do not fit their sample_type */
	uint64_t filtered;		/* samples hidden by --comm/--pid/--dso */
	uint64_t kernel_frames;		/* frames resolved in kernel code */
	uint64_t *samples;		/* per event, before filters */
	bool has_callchains, has_dwarf, has_group_read;
	bool dwarf_unwound;		/* DWARF stacks were unwound (the recording's arch is known) */
	struct unwind_stats dwarf;	/* how that went */
	size_t max_depth;		/* deepest call chain seen */
	uint64_t chains_cut;		/* chains of exactly the kernel's frame limit */
	uint64_t lbr_samples;		/* user chains taken from LBR call stacks */
	unsigned chain_limit;
	/* with opts.collect_stacks */
	struct report_loc *locs;
	size_t nlocs;
	struct report_stack *stacks;
	size_t nstacks;
	/* recordings with switch records (record --off-cpu) */
	bool offcpu;			/* OFFCPU_WEIGHTS events from offcpu_event on follow the file's: */
					/* blocked, runnable, off-cpu (both), wall (with on-CPU time) */
	size_t offcpu_event;
	long oncpu_event;		/* the time event (cpu-clock, task-clock) on-CPU time comes from, or -1 */
	bool offcpu_exact;		/* stacks from switch-out samples, not the last on-CPU sample */
	uint64_t offcpu_intervals, offcpu_no_stack;
	struct report_thread_time *threads;	/* per thread, by tid */
	size_t nthreads;
	/* with opts.annotate or annotate_all */
	struct dso *annotate_dso;	/* the file of opts.annotate's function */
	struct report_addr *addrs;
	size_t naddrs;
	struct report_work *w;
};



/* Reads the whole recording and aggregates it. Returns 0, or a negative
 * error with a one-line message in ERR. Release with report_release(). */
int report_load(struct report *r, const struct report_opts *opts, char *err, size_t errlen);
void report_release(struct report *r);
/* Number of events the report knows: the file's, then with switch records
 * the weights "off-cpu:blocked", "off-cpu:runnable", "off-cpu" and "wall", in ns. */
size_t report_nevents(const struct report *r);
/* What stack ST counts for event EV in folded stacks and flame graphs:
 * its samples, or for an off-CPU weight its time in microseconds. */
uint64_t report_stack_value(const struct report *r, const struct report_stack *st, size_t ev);
/* The unit of that value: "samples" or "us". */
const char *report_value_unit(const struct report *r, size_t ev);
/* Event I's attr, or NULL for an off-CPU weight. */
const struct perf_event_attr *report_event_attr(const struct report *r, size_t i);
const char *report_event_name(const struct report *r, size_t i);
/* The event tables and exports rank by unless told: the first that has
 * samples (a hybrid CPU's first PMU, say, may have none). */
size_t report_default_event(const struct report *r);
/* The event named NAME, or -1. */
long report_find_event(const struct report *r, const char *name);

#endif
