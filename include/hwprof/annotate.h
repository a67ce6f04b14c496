/* A function's instructions with the samples on each and its source lines:
 * what `hwprof annotate` prints, computed from a loaded report. */
#ifndef HWPROF_ANNOTATE_H
#define HWPROF_ANNOTATE_H

#include "hwprof/report.h"

struct annotate_insn {
	uint64_t addr;
	char text[256];		/* jumps inside the function go to "L<label>" */
	uint64_t *samples;	/* per event */
	char *srcline;		/* "file.c:12" when this instruction starts a new line, else NULL */
	size_t label;		/* 1.. when a jump inside the function lands here, else 0 */
	bool hottest;		/* the most samples of the ranking event */
};

struct annotation {
	const char *name;	/* the function, as the symbol table has it */
	struct dso *dso;
	uint64_t start, size;
	size_t nevents;
	uint64_t *totals;	/* per event, the function's samples */
	struct annotate_insn *insns;
	size_t ninsns;
};

/* Disassembles the function of D that holds VADDR, with the samples R kept
 * per address (report_opts.annotate or annotate_all), EVENT marking the
 * hottest instruction. Returns 0, or -1 with a one-line reason in ERR. */
int annotation_build(struct annotation *a, const struct report *r, struct dso *d, uint64_t vaddr,
		     size_t event, char *err, size_t errlen);
void annotation_release(struct annotation *a);

/* A function with samples, for annotate --top. */
struct annotate_fn {
	struct dso *dso;
	uint64_t start;
	const char *name;
	uint64_t samples;	/* of the ranking event */
};

/* R's functions (loaded with annotate_all) with samples of EVENT, most
 * first, equal ones by name; at most N, in *OUT (caller frees). */
size_t annotation_rank(const struct report *r, size_t event, size_t n, struct annotate_fn **out);

#endif
