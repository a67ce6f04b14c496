/* The report pipeline: reader -> ordering -> session -> symbols -> histogram. */
#ifndef HWPROF_REPORT_H
#define HWPROF_REPORT_H

#include "hwprof/hist.h"
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
	bool callgraph;			/* keep each row's callers tree (-g) */
	const char *comm;		/* filters; NULL / -1 for none */
	pid_t pid;
	const char *dso;
	const char *symfs;
	const char *debug_dir;
};

struct id_value {
	uint64_t id;
	uint64_t value;
};

struct report {
	struct report_opts opts;
	struct pd_reader reader;
	struct symbols *syms;
	struct session session;
	struct hist hist;
	bool hist_ready;
	struct ordered ordered;
	bool kernel_matches;		/* the recording's kernel is this one */
	uint64_t last_time;
	uint64_t lost_samples;		/* PERF_RECORD_LOST_SAMPLES */
	uint64_t lost_records;		/* samples in PERF_RECORD_LOST */
	uint64_t unattributed;		/* samples of no known event */
	uint64_t undecodable;		/* samples that do not fit their sample_type */
	uint64_t filtered;		/* samples hidden by --comm/--pid/--dso */
	uint64_t *samples;		/* per event, before filters */
	struct id_value *last_read;	/* group reads: previous value per id */
	size_t nlast, last_cap;
	bool has_callchains, has_dwarf, has_group_read;
	struct strbuf scratch;
	struct unwinder *unwinder;
	struct frame *frames;		/* the current sample's chain, innermost first */
	size_t nframes;
	uint64_t *pcs;			/* unwinder output */
	size_t max_depth;		/* deepest call chain seen */
};

/* One entry of a sample's call chain. */
struct frame {
	uint64_t ip;
	unsigned cpumode;		/* PERF_RECORD_MISC_USER or _KERNEL */
	bool ret;			/* a return address: look up ip - 1 */
};

#define REPORT_MAX_FRAMES 1024

/* Reads the whole recording and aggregates it. Returns 0, or a negative
 * error with a one-line message in ERR. Release with report_release(). */
int report_load(struct report *r, const struct report_opts *opts, char *err, size_t errlen);
void report_release(struct report *r);
/* Number of events (attrs) the report knows. */
size_t report_nevents(const struct report *r);
const char *report_event_name(const struct report *r, size_t i);

#endif
