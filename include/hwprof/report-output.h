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
};

void report_print_table(FILE *f, struct report *r, const struct report_view *v);
void report_print_json(FILE *f, struct report *r, const struct report_view *v);
/* One-line notes about what is missing (deleted binaries, kernel symbols...). */
void report_print_notes(FILE *f, struct report *r);

#endif
