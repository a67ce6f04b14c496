/* Time ordering of records across CPU rings, flushed round by round as perf does. */
#ifndef HWPROF_ORDERED_H
#define HWPROF_ORDERED_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Records that may change under us are copied into chunks and never moved;
 * a chunk is freed when all its records have been delivered. */
struct ordered_chunk {
	struct ordered_chunk *next;
	size_t used, size;
	size_t pending;		/* records in it not yet delivered */
	uint8_t data[];
};

struct ordered_item {
	uint64_t time;
	uint64_t seq;		/* arrival order, to keep ties stable */
	const struct perf_event_header *rec;
	struct ordered_chunk *chunk;	/* NULL: REC is the caller's, not a copy */
	const void *ctx;	/* caller's per-record value */
};

struct ordered {
	struct ordered_item *items;
	size_t nr, cap;
	struct ordered_chunk *chunks;	/* newest first */
	size_t bytes;			/* queued record bytes */
	uint64_t seq;
	uint64_t max_time;	/* latest time queued so far */
	uint64_t limit;		/* records up to this time are safe to deliver */
};

typedef int (*ordered_fn)(void *arg, const struct perf_event_header *rec, const void *ctx);

void ordered_init(struct ordered *o);
void ordered_release(struct ordered *o);
/* Queues REC with its TIME: REC itself when STAYS (it outlives the queue),
 * else a copy. May deliver older records through FN when the queue grows
 * large. Returns 0 or FN's negative return. */
int ordered_push(struct ordered *o, uint64_t time, const struct perf_event_header *rec, bool stays,
		 const void *ctx, ordered_fn fn, void *arg);
/* The lowest address among queued records that were not copied, or NULL. */
const void *ordered_lowest_kept(const struct ordered *o);
/* FINISHED_ROUND: every record up to the previous round's latest time is
 * final; deliver those in time order. */
int ordered_round(struct ordered *o, ordered_fn fn, void *arg);
/* End of input: deliver everything. */
int ordered_flush(struct ordered *o, ordered_fn fn, void *arg);

#endif
