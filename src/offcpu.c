/* Off-CPU intervals from switch records (see offcpu.h). */
#include "hwprof/offcpu.h"
#include "hwprof/util.h"

#include <stdlib.h>
#include <string.h>

struct offcpu_thread {
	uint32_t pid, tid;
	bool out;			/* switched out, not yet back */
	bool runnable;
	uint64_t out_time;
	struct frame *pending;		/* the switch-out sample's stack */
	size_t npending, pending_cap;
	uint64_t pending_time;
	bool has_pending;
	struct frame *wait;		/* the stack of the open interval */
	size_t nwait, wait_cap;
	enum offcpu_stack wait_kind;
	struct frame *last;		/* the last on-CPU sample's stack */
	size_t nlast, last_cap;
};

void offcpu_init(struct offcpu *o)
{
	memset(o, 0, sizeof(*o));
}

void offcpu_release(struct offcpu *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->threads[i].pending);
		free(o->threads[i].wait);
		free(o->threads[i].last);
	}
	free(o->threads);
	index_release(&o->index);
	memset(o, 0, sizeof(*o));
}

static bool tid_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct offcpu *)ctx)->threads[item].tid == *(const uint32_t *)key;
}

static uint64_t tid_hash(const void *ctx, uint32_t item)
{
	return hash_u64(((const struct offcpu *)ctx)->threads[item].tid);
}

static struct offcpu_thread *thread_of(struct offcpu *o, uint32_t tid)
{
	long i = index_find(&o->index, hash_u64(tid), tid_eq, o, &tid);

	if (i >= 0)
		return &o->threads[i];
	xgrow((void **)&o->threads, &o->cap, o->n + 1, sizeof(*o->threads));
	memset(&o->threads[o->n], 0, sizeof(o->threads[o->n]));
	o->threads[o->n].tid = tid;
	index_insert(&o->index, hash_u64(tid), (uint32_t)o->n, tid_hash, o);
	return &o->threads[o->n++];
}

static void copy_frames(struct frame **dst, size_t *n, size_t *cap, const struct frame *f, size_t count)
{
	xgrow((void **)dst, cap, count ? count : 1, sizeof(**dst));
	memcpy(*dst, f, count * sizeof(*f));
	*n = count;
}

void offcpu_switch_stack(struct offcpu *o, uint32_t tid, uint64_t time, const struct frame *f, size_t n)
{
	struct offcpu_thread *t = thread_of(o, tid);

	copy_frames(&t->pending, &t->npending, &t->pending_cap, f, n);
	t->pending_time = time;
	t->has_pending = true;
}

void offcpu_last_stack(struct offcpu *o, uint32_t tid, const struct frame *f, size_t n)
{
	struct offcpu_thread *t = thread_of(o, tid);

	copy_frames(&t->last, &t->nlast, &t->last_cap, f, n);
}

/* Ends T's wait at END into *IV, and counts it. */
static void close_wait(struct offcpu *o, struct offcpu_thread *t, uint64_t end, struct offcpu_interval *iv)
{
	t->out = false;
	iv->pid = t->pid;
	iv->tid = t->tid;
	iv->start = t->out_time;
	iv->end = end > t->out_time ? end : t->out_time;
	iv->runnable = t->runnable;
	iv->stack = t->wait_kind;
	iv->frames = t->wait;
	iv->nframes = t->wait_kind == OFFCPU_NO_STACK ? 0 : t->nwait;
	o->intervals++;
	o->no_stack += iv->stack == OFFCPU_NO_STACK;
}

bool offcpu_switch(struct offcpu *o, uint32_t pid, uint32_t tid, uint64_t time, bool out, bool preempt,
		   struct offcpu_interval *iv)
{
	struct offcpu_thread *t;

	if (tid == 0)
		return false;	/* the idle task does not wait */
	t = thread_of(o, tid);
	t->pid = pid;
	if (out) {
		t->out = true;
		t->out_time = time;
		t->runnable = preempt;
		/* The kernel writes the switch-out sample just before the record;
		 * an older one belongs to an earlier switch that lost its record. */
		if (t->has_pending && t->pending_time <= time) {
			copy_frames(&t->wait, &t->nwait, &t->wait_cap, t->pending, t->npending);
			t->wait_kind = OFFCPU_SWITCH_STACK;
		} else if (t->nlast) {
			copy_frames(&t->wait, &t->nwait, &t->wait_cap, t->last, t->nlast);
			t->wait_kind = OFFCPU_LAST_SAMPLE;
		} else {
			t->wait_kind = OFFCPU_NO_STACK;
		}
		t->has_pending = false;
		return false;
	}
	if (!t->out)
		return false;	/* the first switch-in of a thread seen running */
	close_wait(o, t, time, iv);
	return true;
}

void offcpu_exit(struct offcpu *o, uint32_t tid)
{
	struct offcpu_thread *t = thread_of(o, tid);

	t->out = false;
	t->has_pending = false;
	t->nlast = 0;
}

bool offcpu_flush(struct offcpu *o, uint64_t end, struct offcpu_interval *iv)
{
	for (size_t i = 0; i < o->n; i++) {
		struct offcpu_thread *t = &o->threads[i];
		if (!t->out)
			continue;
		close_wait(o, t, end, iv);
		return true;
	}
	return false;
}
