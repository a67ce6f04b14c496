/* Per-round sorting of records: a record written after FINISHED_ROUND is never older than what the previous round held back. */
#include "hwprof/ordered.h"
#include "hwprof/util.h"

#include <stdlib.h>
#include <string.h>

/* Beyond this many queued bytes, flush what is oldest even without a round. */
#define ORDERED_MAX_BYTES (256u << 20)

void ordered_init(struct ordered *o)
{
	memset(o, 0, sizeof(*o));
}

void ordered_release(struct ordered *o)
{
	free(o->items);
	free(o->arena);
	memset(o, 0, sizeof(*o));
}

static int cmp_item(const void *a, const void *b)
{
	const struct ordered_item *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Delivers, in time order, every queued record with time <= LIMIT. */
static int deliver_upto(struct ordered *o, uint64_t limit, ordered_fn fn, void *arg)
{
	size_t n = 0, keep_bytes = 0;
	uint8_t *arena;
	int rc = 0;

	qsort(o->items, o->nr, sizeof(*o->items), cmp_item);
	while (n < o->nr && o->items[n].time <= limit) {
		const struct perf_event_header *h = (const void *)(o->arena + o->items[n].off);
		rc = fn(arg, h, o->items[n].ctx);
		n++;
		if (rc < 0)
			break;
	}
	/* Compact the rest into a fresh arena. */
	for (size_t i = n; i < o->nr; i++)
		keep_bytes += ((const struct perf_event_header *)(o->arena + o->items[i].off))->size;
	arena = xmalloc(keep_bytes ? keep_bytes : 1);
	keep_bytes = 0;
	for (size_t i = n; i < o->nr; i++) {
		const struct perf_event_header *h = (const void *)(o->arena + o->items[i].off);
		memcpy(arena + keep_bytes, h, h->size);
		o->items[i - n] = o->items[i];
		o->items[i - n].off = keep_bytes;
		keep_bytes += h->size;
	}
	o->nr -= n;
	free(o->arena);
	o->arena = arena;
	o->arena_len = o->arena_cap = keep_bytes;
	return rc;
}

int ordered_push(struct ordered *o, uint64_t time, const struct perf_event_header *rec,
		 const void *ctx, ordered_fn fn, void *arg)
{
	/* Records are copied at 8-byte alignment so samples can be read in place. */
	size_t at = (o->arena_len + 7) & ~(size_t)7;

	xgrow((void **)&o->arena, &o->arena_cap, at + rec->size, 1);
	memcpy(o->arena + at, rec, rec->size);
	o->arena_len = at + rec->size;
	xgrow((void **)&o->items, &o->cap, o->nr + 1, sizeof(*o->items));
	o->items[o->nr++] = (struct ordered_item){ time, o->seq++, at, ctx };
	if (time > o->max_time)
		o->max_time = time;
	if (o->arena_len > ORDERED_MAX_BYTES) {
		/* No rounds in this file (or huge ones): release the older half. */
		uint64_t mid;
		qsort(o->items, o->nr, sizeof(*o->items), cmp_item);
		mid = o->items[o->nr / 2].time;
		return deliver_upto(o, mid, fn, arg);
	}
	return 0;
}

int ordered_round(struct ordered *o, ordered_fn fn, void *arg)
{
	int rc = deliver_upto(o, o->limit, fn, arg);

	o->limit = o->max_time;
	return rc;
}

int ordered_flush(struct ordered *o, ordered_fn fn, void *arg)
{
	return deliver_upto(o, UINT64_MAX, fn, arg);
}
