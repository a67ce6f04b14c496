/* Counting-mode perf events: open per thread or per CPU, enable, read and scale. */
#ifndef HWPROF_COUNTERS_H
#define HWPROF_COUNTERS_H

#include "hwprof/events.h"
#include "hwprof/util.h"

#include <stdint.h>
#include <sys/types.h>

/* Either TIDS (each counted on any CPU) or, when TIDS is NULL, CPUS
 * (every task on each CPU: system-wide). */
struct counter_target {
	const pid_t *tids;
	size_t ntids;
	const int *cpus;
	size_t ncpus;
	bool enable_on_exec;	/* start counting when the (stopped) child execs */
};

struct counter {
	const struct evsel *ev;
	struct perf_event_attr attr; /* as opened, after any fallback */
	int *fds;		/* one per target slot; -1 where not open */
	int err;		/* positive errno when it could not be opened, else 0 */
	bool user_only;		/* kernel counting was refused and dropped */
	uint64_t value, enabled, running; /* summed over slots by counters_read() */
};

struct counters {
	struct counter *c;
	size_t nr;
	size_t nslots;
};

/* Opens one counter per event and slot. Events that cannot be opened are kept
 * with ->err set; the caller decides whether that is fatal. Returns 0, or a
 * negative error when the target itself is unusable. Release with
 * counters_close() in every case. */
int counters_open(struct counters *cs, const struct evlist *el, const struct counter_target *t);
int counters_enable(struct counters *cs);
int counters_disable(struct counters *cs);
/* Reads and sums every open counter. Returns 0 or -errno. */
int counters_read(struct counters *cs);
void counters_close(struct counters *cs);

/* value scaled by enabled/running for multiplexed counters. */
double counter_scaled(const struct counter *c);

/* Opens and closes one user-space counter on this process: 0 when the
 * kernel accepts (TYPE, CONFIG), else -errno. */
int counters_try_open(__u32 type, __u64 config);

/* 0 when this process may open a hardware cycles counter;
 * -HWPROF_E_NOPMU when the kernel has no PMU; otherwise -errno. */
int hwpmu_probe(void);

/* Appends to OUT why opening ATTR failed with ERR (a positive errno),
 * in words a user can act on. */
void counters_explain(int err, const struct perf_event_attr *attr, bool no_pmu, struct strbuf *out);

/* The perf_event_paranoid sysctl, or INT_MIN when unreadable. */
int perf_paranoid(void);

#endif
