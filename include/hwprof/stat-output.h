/* Rendering of counting results: perf-style table, CSV (-x SEP) and JSON. */
#ifndef HWPROF_STAT_OUTPUT_H
#define HWPROF_STAT_OUTPUT_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum stat_status {
	STAT_COUNTED,
	STAT_NOT_SUPPORTED,	/* could not be opened */
	STAT_NOT_COUNTED,	/* opened, but never scheduled on a PMU */
};

struct stat_row {
	const char *name;
	const struct perf_event_attr *attr;
	enum stat_status status;
	double value;		/* scaled count, mean over runs; clocks in nanoseconds */
	double stddev_pct;	/* standard error of the mean over runs, % of mean */
	uint64_t running_ns;	/* time the counter was on the PMU (last run) */
	double running_pct;	/* 100 unless multiplexed */
	const char *reason;	/* why not supported; NULL otherwise */
};

struct stat_result {
	const char *target;	/* "'./demo 3'", "process id 42", "system wide" */
	struct stat_row *rows;
	size_t nr;
	unsigned runs;
	double wall_s;
	double wall_stddev_pct;
	bool have_rusage;
	double user_s, sys_s;
	bool have_exit_status;
	int exit_status;	/* hwprof's exit status: the child's code or 128+signal */
	const char *const *notes;
	size_t nnotes;
};

void stat_print_table(FILE *f, const struct stat_result *r);
/* Fixed columns: value, unit, event, stddev %, run ns, running %,
 * metric1 value, metric1 unit, metric2 value, metric2 unit. */
void stat_print_csv(FILE *f, const struct stat_result *r, const char *sep);
void stat_print_json(FILE *f, const struct stat_result *r);

#endif
