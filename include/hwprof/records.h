/*
 * Typed decoders of the non-sample records the pipeline reads (samples are
 * sample.h's): the one place that knows their layouts. Each checks that the
 * record holds its fixed part and, for strings, a terminating NUL inside
 * the record; strings are borrowed from the record.
 */
#ifndef HWPROF_RECORDS_H
#define HWPROF_RECORDS_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>

/* PERF_RECORD_MMAP or MMAP2. */
struct rec_mmap {
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	uint32_t prot;			/* PROT_EXEC for MMAP, which maps only code */
	const char *filename;
};

/* PERF_RECORD_COMM. */
struct rec_comm {
	uint32_t pid, tid;
	const char *comm;
	bool exec;			/* PERF_RECORD_MISC_COMM_EXEC */
};

/* PERF_RECORD_FORK or EXIT. */
struct rec_fork {
	uint32_t pid, ppid, tid, ptid;
	uint64_t time;
};

/* Return 0, or -1 when REC is not of the type or does not hold it. */
int rec_mmap_parse(const struct perf_event_header *rec, struct rec_mmap *out);
int rec_comm_parse(const struct perf_event_header *rec, struct rec_comm *out);
int rec_fork_parse(const struct perf_event_header *rec, struct rec_fork *out);
/* PERF_RECORD_LOST: the samples it says were lost. */
int rec_lost_parse(const struct perf_event_header *rec, uint64_t *lost);
/* PERF_RECORD_LOST_SAMPLES: the samples it says were lost. */
int rec_lost_samples_parse(const struct perf_event_header *rec, uint64_t *lost);
/* The first u64 after a sample's header: its id when PERF_SAMPLE_IDENTIFIER is set. */
int rec_sample_identifier(const struct perf_event_header *rec, uint64_t *id);

#endif
