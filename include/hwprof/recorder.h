/* What record does with each ring record: count, trim stack copies, note DSO hits, write. */
#ifndef HWPROF_RECORDER_H
#define HWPROF_RECORDER_H

#include "hwprof/arch.h"
#include "hwprof/framefix.h"
#include "hwprof/perfdata.h"
#include "hwprof/sample.h"

#include <stdbool.h>
#include <stdint.h>

struct recorder_dso {
	char *filename;
	bool hit;
	bool kernel;
};

struct recorder_range {
	uint64_t start, end, pgoff;
	uint64_t seq;			/* order of the mmap: a later one replaces an earlier */
	uint32_t pid;
	size_t dso;
};

struct recorder_id {
	uint64_t id;
	size_t event;
};

struct recorder {
	struct pd_writer *w;
	size_t nevents;
	struct sample_format *fmt;	/* per event */
	struct recorder_id *ids;	/* sorted by id */
	size_t nids;
	uint64_t *samples;		/* per event */
	uint64_t lost_samples;
	uint64_t lost_records;
	uint64_t throttles;
	uint64_t unknown_ids;
	uint64_t stack_bytes_dropped;	/* stack copy bytes the kernel marked invalid */
	uint16_t max_stack;		/* frames a chain holds at most (attr.sample_max_stack) */
	uint64_t chains_cut;		/* chains that reached max_stack */
	bool trim_stacks;
	bool since_round;		/* records written since the last FINISHED_ROUND */
	struct recorder_dso *dsos;
	size_t ndsos, dsos_cap;
	struct recorder_range *ranges;	/* executable mappings, sorted by start */
	size_t nranges, ranges_cap;
	bool kernel_hit;
	uint8_t *scratch;
	size_t scratch_cap;
	uint64_t nseq;
	/* -g: chains repaired from CFI before they are written (framefix.h) */
	struct framefix *ff;
	bool *repair;			/* per event: the kernel's sample has registers and a
					 * stack copy that the file's does not */
	uint64_t regs_mask;
	uint64_t fp_checked;		/* user chains whose first function was looked at */
	uint64_t fp_repaired;		/* of those, chains that got the skipped caller */
	uint64_t fp_unchecked;		/* user chains left as the kernel gave them: no CFI */
};

/* EVENTS (with their ids) are what the file describes; TRIM_STACKS writes
 * only the valid part of each user stack copy. */
void recorder_init(struct recorder *r, struct pd_writer *w, const struct pd_event *events,
		   size_t nevents, bool trim_stacks);
/*
 * Frame-pointer chains are repaired before they are written: the kernel's
 * samples of each event (KERNEL_ATTRS[i]) carry the user registers and a
 * small stack copy, which the file's (EVENTS' attrs) do not; the caller a
 * chain skips is inserted after the first user frame (framefix.h).
 */
void recorder_repair_chains(struct recorder *r, const struct perf_event_attr *kernel_attrs,
			    const struct arch_info *arch);
/* Notes an MMAP record that reaches the file without recorder_record (synthesized). */
void recorder_observe(void *r, const struct perf_event_header *h);
void recorder_release(struct recorder *r);
/* sampler_record_fn: processes and writes one record. Returns 0 or -errno. */
int recorder_record(void *r, const struct perf_event_header *rec);
/* Writes FINISHED_ROUND when records were written since the last one. */
int recorder_round(struct recorder *r);
/* Build ids of every DSO a sample landed in. *OUT holds borrowed filenames
 * (valid until recorder_release); free the array itself. */
size_t recorder_build_ids(struct recorder *r, struct pd_build_id **out);

#endif
