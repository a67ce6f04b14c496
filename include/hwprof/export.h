/* Exports of a report's stacks: folded stacks, an SVG flame graph, pprof's profile.proto. */
#ifndef HWPROF_EXPORT_H
#define HWPROF_EXPORT_H

#include "hwprof/report.h"

#include <stdio.h>

/* "comm;outermost;...;innermost COUNT" per distinct stack, COUNT the samples
 * of EVENT (microseconds for an off-CPU weight); sorted, identical lines
 * merged. Returns 0 or -errno. */
int export_folded(FILE *f, const struct report *r, size_t event);
/* A self-contained interactive flame graph of EVENT's samples (click to zoom,
 * search, tooltips), coloured by shared object, or, when HEAT_EVENT >= 0, by
 * that event's period per unit of EVENT's (misses per cycle, say), white to
 * red. Returns 0 or -errno. */
int export_svg(FILE *f, const struct report *r, size_t event, const char *title, long heat_event);
/* A gzip-compressed profile.proto, with one samples/count and one period
 * value per event, EVENT's samples the default; lines from a report loaded
 * with loc_lines. Returns 0 or a negative error. */
int export_pprof(FILE *f, const struct report *r, size_t event);

#endif
