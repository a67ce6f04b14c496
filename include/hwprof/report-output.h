/* Rendering of a loaded report: perf-style table (with per-event columns and metrics) or JSON. */
#ifndef HWPROF_REPORT_OUTPUT_H
#define HWPROF_REPORT_OUTPUT_H

#include "hwprof/report.h"

#include <stdio.h>

struct report_view {
	size_t top;		/* rows at most; 0 for all */
	double percent_limit;	/* rows under this share of every event are hidden */
	bool children;
	bool callgraph;		/* print each row's callers tree */
	double callgraph_limit;	/* hide branches under this percent of the total */
	size_t event;		/* rows are ranked by this event (report_default_event) */
	bool event_named;	/* the user chose it (--event) */
	long heat_event;	/* svg: colour by this event per unit of EVENT; -1 by DSO */
};

/* The outputs of report read the loaded report and never change it. */
typedef int (*report_write_fn)(FILE *f, const struct report *r, const struct report_view *v);

/* One output format of report: what it needs loaded, and its writer. */
struct report_format {
	const char *name;	/* as --format spells it */
	bool stacks;		/* every distinct stack (report_opts.collect_stacks) */
	bool lines;		/* each stack location's source lines (report_opts.loc_lines) */
	bool binary;		/* not for a terminal: needs -o FILE */
	report_write_fn write;	/* returns 0 or a negative errno */
};

const struct report_format *report_format_find(const char *name);
/* "table, json, ...": every format's name. */
const char *report_format_names(void);

int report_print_table(FILE *f, const struct report *r, const struct report_view *v);
int report_print_json(FILE *f, const struct report *r, const struct report_view *v);
/* One-line notes about what is missing (deleted binaries, kernel symbols...). */
void report_print_notes(FILE *f, struct report *r);

#endif
