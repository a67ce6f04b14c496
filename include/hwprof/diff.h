/* Matching two loaded reports row by row, for `hwprof diff`. */
#ifndef HWPROF_DIFF_H
#define HWPROF_DIFF_H

#include "hwprof/report.h"

struct diff_row {
	const struct hist_entry *base, *next;	/* either may be NULL: only in one recording */
	double delta;				/* the change of the ranking event's share, in points */
};

/* The share of event EV's period that E holds in R, in percent; 0 for a
 * missing entry or event. */
double diff_share(const struct report *r, const struct hist_entry *e, long ev);
/* Pairs the entries of BASE and NEXT that have equal keys (both reports
 * loaded with the same keys): NEXT's entries, then those only BASE has;
 * ordered by the absolute change of event EB's share (EN in NEXT), largest
 * first, equal changes by key. Returns the number of rows in *OUT (caller
 * frees). Neither report changes. */
size_t diff_rows(const struct report *base, long eb, const struct report *next, long en, struct diff_row **out);

#endif
