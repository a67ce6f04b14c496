/* Per-round sorting of records: a record written after FINISHED_ROUND is never older than what the previous round held back. */
#include "hwprof/ordered.h"
#include "hwprof/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many queued bytes, flush what is oldest even without a round. */
#define ORDERED_MAX_BYTES (256u << 20)
#define CHUNK_SIZE (4u << 20)

void ordered_init(struct ordered *o)
{
	memset(o, 0, sizeof(*o));
}

static void free_chunks(struct ordered *o, bool all)
{
	struct ordered_chunk **pp = &o->chunks;

	while (*pp) {
		struct ordered_chunk *c = *pp;
		/* The newest chunk keeps taking records while it has room. */
		if (all || (c->pending == 0 && c != o->chunks)) {
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

void ordered_release(struct ordered *o)
{
	free(o->items);
	free_chunks(o, true);
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
	size_t n = 0;
	int rc = 0;

	if (o->nr > 1)
		qsort(o->items, o->nr, sizeof(*o->items), cmp_item);
	while (n < o->nr && o->items[n].time <= limit) {
		struct ordered_item *it = &o->items[n++];
		rc = fn(arg, it->rec, it->ctx);
		if (it->chunk)
			it->chunk->pending--;
		o->bytes -= it->rec->size;
		if (rc < 0)
			break;
	}
	if (n && o->nr > n)
		memmove(o->items, o->items + n, (o->nr - n) * sizeof(*o->items));
	o->nr -= n;
	free_chunks(o, false);
	return rc;
}

static uint8_t *alloc_record(struct ordered *o, size_t size, struct ordered_chunk **chunk)
{
	struct ordered_chunk *c = o->chunks;
	size_t need = (size + 7) & ~(size_t)7; /* 8-aligned so samples read in place */

	if (!c || c->size - c->used < need) {
		/* Small first, then up to CHUNK_SIZE: short recordings stay cheap. */
		size_t sz = c ? (c->size * 2 < CHUNK_SIZE ? c->size * 2 : CHUNK_SIZE) : 64 * 1024;
		if (sz < need)
			sz = need;
		c = xmalloc(sizeof(*c) + sz);
		c->used = c->pending = 0;
		c->size = sz;
		c->next = o->chunks;
		o->chunks = c;
	}
	*chunk = c;
	c->pending++;
	c->used += need;
	return c->data + c->used - need;
}

int ordered_push(struct ordered *o, uint64_t time, const struct perf_event_header *rec, bool stays,
		 const void *ctx, ordered_fn fn, void *arg)
{
	struct ordered_chunk *chunk = NULL;

	if (!stays) {
		uint8_t *copy = alloc_record(o, rec->size, &chunk);
		memcpy(copy, rec, rec->size);
		rec = (const void *)copy;
	}
	xgrow((void **)&o->items, &o->cap, o->nr + 1, sizeof(*o->items));
	o->items[o->nr++] = (struct ordered_item){ time, o->seq++, rec, chunk, ctx };
	o->bytes += rec->size;
	if (time > o->max_time)
		o->max_time = time;
	if (o->bytes > ORDERED_MAX_BYTES) {
		/* No rounds in this file (or huge ones): release the older half. */
		qsort(o->items, o->nr, sizeof(*o->items), cmp_item);
		return deliver_upto(o, o->items[o->nr / 2].time, fn, arg);
	}
	return 0;
}

const void *ordered_lowest_kept(const struct ordered *o)
{
	const void *low = NULL;

	for (size_t i = 0; i < o->nr; i++)
		if (!o->items[i].chunk && (!low || (uintptr_t)o->items[i].rec < (uintptr_t)low))
			low = o->items[i].rec;
	return low;
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
