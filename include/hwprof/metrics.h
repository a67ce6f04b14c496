/* Derived metrics (IPC, miss rates, MPKI, utilisation) shared by stat and report. */
#ifndef HWPROF_METRICS_H
#define HWPROF_METRICS_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>

/* NAN when the denominator is zero or either side is unknown (NAN). */
double metric_ipc(double instructions, double cycles);
double metric_mpki(double misses, double instructions);
double metric_pct(double part, double whole);

/* One counter row as metrics see it. */
struct metric_input {
	const struct perf_event_attr *attr;
	double value;	/* scaled count; for task-clock/cpu-clock nanoseconds */
	bool counted;	/* false for not supported / not counted rows */
};

#define METRICS_PER_ROW_MAX 2

struct metric {
	double value;
	char unit[48];	/* "insn per cycle", "% of all cache refs", "MPKI", "/sec", "GHz", "CPUs utilized" */
};

/* Metrics shown beside ROWS[I], computed from its partners among ROWS
 * (partners must count the same privilege levels). WALL_NS is the elapsed
 * time of the measurement. Returns how many were written to OUT. */
size_t metrics_for_row(const struct metric_input *rows, size_t nr, size_t i, double wall_ns,
		       struct metric out[METRICS_PER_ROW_MAX]);

/* Running mean and variance (Welford) for `stat -r`. */
struct runstat {
	unsigned n;
	double mean;
	double m2;
};
void runstat_add(struct runstat *r, double x);
/* Standard error of the mean as a percentage of the mean (what perf's "+-" shows); 0 for n < 2. */
double runstat_rel_stderr_pct(const struct runstat *r);

#endif
