/* PERF_RECORD_SAMPLE and sample_id trailers decoded by sample_type, as the kernel lays them out. */
#ifndef HWPROF_SAMPLE_H
#define HWPROF_SAMPLE_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* What decoding needs to know of the event that produced a record. */
struct sample_format {
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t regs_user_mask;
	bool branch_hw_index;
};

struct group_value {
	uint64_t value;
	uint64_t id;
};

/* A decoded sample. Pointers borrow from the record: valid as long as it is. */
struct sample {
	uint64_t id;		/* IDENTIFIER or ID, 0 if neither */
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint64_t addr;
	uint64_t stream_id;
	uint32_t cpu;
	uint64_t period;
	/* READ: one value, or the group's values */
	uint64_t read_nr;
	const uint8_t *read_values; /* read_nr entries of read_stride bytes: value[, id][, lost] */
	size_t read_stride;
	uint64_t read_id;	/* a single value's id (PERF_FORMAT_ID without GROUP), else 0 */
	uint64_t time_enabled, time_running;
	uint64_t callchain_nr;
	const uint8_t *callchain; /* callchain_nr u64s, unaligned-safe access via sample_callchain() */
	uint32_t raw_size;
	const uint8_t *raw;
	uint64_t branch_nr;
	const uint8_t *branches; /* branch_nr entries of 24 bytes */
	uint64_t regs_abi;	/* 0: no registers in this sample */
	uint64_t regs_nr;
	const uint8_t *regs;	/* regs_nr u64s in mask bit order */
	uint64_t stack_size;	/* bytes of stack copy in the record */
	const uint8_t *stack;
	uint64_t stack_dyn_size; /* bytes of it the kernel says are valid */
	size_t stack_offset;	/* where the STACK_USER size field starts in the record */
	uint64_t weight;
	uint64_t data_src;
	uint64_t transaction;
	uint64_t phys_addr;
};

/* Decodes a PERF_RECORD_SAMPLE of SIZE bytes (header included).
 * Returns 0, or -HWPROF_E_FORMAT when it does not fit its sample_type. */
int sample_parse(const void *rec, size_t size, const struct sample_format *fmt, struct sample *out);

/* The i-th callchain entry. */
uint64_t sample_callchain(const struct sample *s, uint64_t i);
/* Frames of the call chain, context markers (PERF_CONTEXT_*) aside. */
size_t sample_chain_frames(const struct sample *s);
/* The i-th register value (in mask bit order). */
uint64_t sample_reg(const struct sample *s, uint64_t i);
/* The i-th value read with the sample, and its id. */
void sample_read_value(const struct sample *s, uint64_t i, uint64_t *value, uint64_t *id);

/* Bytes of the sample_id trailer non-sample records carry when sample_id_all is set. */
size_t sample_id_size(uint64_t sample_type);

/* Decodes the sample_id trailer at the end of a non-sample record of SIZE bytes. */
int sample_id_parse(const void *rec, size_t size, uint64_t sample_type, struct sample *out);

/* The timestamp of any record: a sample's TIME field, or the one in a
 * sample_id trailer (SAMPLE_ID_ALL). Returns 0, or -1 when it has none. */
int record_time(const void *rec, size_t size, uint32_t type, uint64_t sample_type, bool sample_id_all,
		uint64_t *time);

#endif
