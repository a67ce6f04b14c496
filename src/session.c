/* Threads and address spaces of a recording, as its records describe them over time. */
#include "hwprof/session.h"
#include "hwprof/records.h"
#include "hwprof/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static struct mm *mm_new(void)
{
	static uint64_t next_id;
	struct mm *mm = xcalloc(1, sizeof(*mm));

	mm->refs = 1;
	mm->id = ++next_id;
	return mm;
}

static void block_put(struct mm_block *b)
{
	if (--b->refs == 0)
		free(b);
}

static void mm_put(struct mm *mm)
{
	if (mm && --mm->refs == 0) {
		for (size_t i = 0; i < mm->nblocks; i++)
			block_put(mm->blocks[i]);
		free(mm->blocks);
		free(mm);
	}
}

/* A fork's copy: the blocks are shared until either side changes one. */
static struct mm *mm_copy(const struct mm *src)
{
	struct mm *mm = mm_new();

	if (src && src->nblocks) {
		mm->blocks = xmalloc(src->nblocks * sizeof(*mm->blocks));
		memcpy(mm->blocks, src->blocks, src->nblocks * sizeof(*mm->blocks));
		mm->nblocks = mm->blocks_cap = src->nblocks;
		mm->nr = src->nr;
		for (size_t i = 0; i < mm->nblocks; i++)
			mm->blocks[i]->refs++;
	}
	return mm;
}

/* Block B of MM, made private to MM before a change. */
static struct mm_block *own_block(struct mm *mm, size_t b)
{
	struct mm_block *blk = mm->blocks[b];

	if (blk->refs > 1) {
		struct mm_block *copy = xmalloc(sizeof(*copy));
		memcpy(copy, blk, sizeof(*copy));
		copy->refs = 1;
		blk->refs--;
		mm->blocks[b] = blk = copy;
	}
	return blk;
}

static void add_block(struct mm *mm, size_t at, struct mm_block *blk)
{
	xgrow((void **)&mm->blocks, &mm->blocks_cap, mm->nblocks + 1, sizeof(*mm->blocks));
	memmove(&mm->blocks[at + 1], &mm->blocks[at], (mm->nblocks - at) * sizeof(*mm->blocks));
	mm->blocks[at] = blk;
	mm->nblocks++;
}

/* The first map whose end is above ADDR, as (block, index); *B == nblocks when none. */
static void first_ending_after(const struct mm *mm, uint64_t addr, size_t *b, size_t *i)
{
	size_t lo = 0, hi = mm->nblocks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct mm_block *blk = mm->blocks[mid];
		if (blk->maps[blk->nr - 1].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*b = lo;
	*i = 0;
	if (lo == mm->nblocks)
		return;
	hi = mm->blocks[lo]->nr;
	while (*i < hi) {
		size_t mid = (*i + hi) / 2;
		if (mm->blocks[lo]->maps[mid].end <= addr)
			*i = mid + 1;
		else
			hi = mid;
	}
}

static void remove_at(struct mm *mm, size_t b, size_t i)
{
	struct mm_block *blk = own_block(mm, b);

	memmove(&blk->maps[i], &blk->maps[i + 1], (blk->nr - i - 1) * sizeof(*blk->maps));
	blk->nr--;
	mm->nr--;
	if (blk->nr == 0) {
		block_put(blk);
		memmove(&mm->blocks[b], &mm->blocks[b + 1], (mm->nblocks - b - 1) * sizeof(*mm->blocks));
		mm->nblocks--;
	}
}

/* Inserts M before (B, I), which may be the end; returns M's place in *B, *I. */
static void insert_at(struct mm *mm, size_t *b, size_t *i, const struct map *m)
{
	struct mm_block *blk;

	if (*b == mm->nblocks) {
		/* At the end: into the last block, or a new one. */
		if (*b > 0 && mm->blocks[*b - 1]->nr < MM_BLOCK) {
			(*b)--;
			*i = mm->blocks[*b]->nr;
		} else {
			blk = xmalloc(sizeof(*blk));
			blk->refs = 1;
			blk->nr = 0;
			add_block(mm, *b, blk);
			*i = 0;
		}
	}
	blk = own_block(mm, *b);
	if (blk->nr == MM_BLOCK) {
		/* Full: the upper half moves to a new block after it. */
		struct mm_block *upper = xmalloc(sizeof(*upper));
		upper->refs = 1;
		upper->nr = MM_BLOCK / 2;
		memcpy(upper->maps, &blk->maps[MM_BLOCK / 2], (MM_BLOCK / 2) * sizeof(*blk->maps));
		blk->nr = MM_BLOCK / 2;
		add_block(mm, *b + 1, upper);
		if (*i > MM_BLOCK / 2) {
			(*b)++;
			*i -= MM_BLOCK / 2;
			blk = upper;
		}
	}
	memmove(&blk->maps[*i + 1], &blk->maps[*i], (blk->nr - *i) * sizeof(*blk->maps));
	blk->maps[*i] = *m;
	blk->nr++;
	mm->nr++;
}

/* Inserts M, cutting away whatever part of older maps it overlaps. */
static void mm_insert(struct mm *mm, const struct map *m)
{
	struct map left, right;
	bool has_left = false, has_right = false;
	size_t b, i;

	first_ending_after(mm, m->start, &b, &i);
	while (b < mm->nblocks && mm->blocks[b]->maps[i].start < m->end) {
		const struct map o = mm->blocks[b]->maps[i];
		if (o.start < m->start) {
			left = o;
			left.end = m->start;
			has_left = true;
		}
		if (o.end > m->end) {
			right = o;
			right.pgoff += m->end - o.start;
			right.start = m->end;
			has_right = true;
		}
		remove_at(mm, b, i);
		if (b < mm->nblocks && i == mm->blocks[b]->nr) {
			b++;
			i = 0;
		}
	}
	/* What is left at (b, i) starts at or after m->end: the pieces go before it. */
	if (b < mm->nblocks && i == 0 && b > 0) {
		b--;
		i = mm->blocks[b]->nr;
	}
	if (has_left) {
		insert_at(mm, &b, &i, &left);
		i++;
	}
	insert_at(mm, &b, &i, m);
	i++;
	if (has_right)
		insert_at(mm, &b, &i, &right);
	mm->gen++;
}

static const struct map *mm_find(const struct mm *mm, uint64_t addr)
{
	size_t b, i;

	if (!mm)
		return NULL;
	first_ending_after(mm, addr, &b, &i);
	if (b < mm->nblocks && mm->blocks[b]->maps[i].start <= addr)
		return &mm->blocks[b]->maps[i];
	return NULL;
}

void mm_for_each(const struct mm *mm, void (*fn)(const struct map *m, void *arg), void *arg)
{
	for (size_t b = 0; b < mm->nblocks; b++)
		for (unsigned i = 0; i < mm->blocks[b]->nr; i++)
			fn(&mm->blocks[b]->maps[i], arg);
}

void session_init(struct session *s, struct symbols *syms)
{
	memset(s, 0, sizeof(*s));
	s->syms = syms;
	s->kernel = mm_new();
}

static void thread_free(struct thread *t)
{
	free(t->comm);
	mm_put(t->mm);
	free(t);
}

void session_release(struct session *s)
{
	for (size_t i = 0; i < s->nthreads; i++)
		thread_free(s->threads[i]);
	free(s->threads);
	index_release(&s->tid_index);
	mm_put(s->kernel);
	memset(s, 0, sizeof(*s));
}

static bool tid_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct session *)ctx)->threads[item]->tid == *(const uint32_t *)key;
}

static uint64_t tid_hash(const void *ctx, uint32_t item)
{
	return hash_u64(((const struct session *)ctx)->threads[item]->tid);
}

static long thread_index(const struct session *s, uint32_t tid)
{
	return index_find(&s->tid_index, hash_u64(tid), tid_eq, s, &tid);
}

static struct thread *find_thread(struct session *s, uint32_t tid)
{
	long i;

	/* Samples come in runs of one thread. */
	if (s->last && s->last->tid == tid)
		return s->last;
	i = thread_index(s, tid);
	return i < 0 ? NULL : (s->last = s->threads[i]);
}

/* A new thread TID; one seen before under that tid (tid reuse, or a fork
 * seen late) is replaced. */
static struct thread *new_thread(struct session *s, uint32_t pid, uint32_t tid, struct mm *mm)
{
	struct thread *t = xcalloc(1, sizeof(*t));
	long i = thread_index(s, tid);

	t->pid = pid;
	t->tid = tid;
	t->comm = xasprintf(":%u", tid);
	t->mm = mm;
	if (i >= 0) {
		if (s->last == s->threads[i])
			s->last = NULL;
		thread_free(s->threads[i]);
		s->threads[i] = t;
		return t;
	}
	xgrow((void **)&s->threads, &s->threads_cap, s->nthreads + 1, sizeof(*s->threads));
	s->threads[s->nthreads] = t;
	index_insert(&s->tid_index, hash_u64(tid), (uint32_t)s->nthreads, tid_hash, s);
	s->nthreads++;
	return t;
}

struct thread *session_thread(struct session *s, uint32_t pid, uint32_t tid)
{
	struct thread *t = find_thread(s, tid), *leader;
	struct mm *mm;

	if (t)
		return t;
	/* Threads of one process share its address space. */
	leader = pid != tid ? find_thread(s, pid) : NULL;
	if (leader) {
		mm = leader->mm;
		mm->refs++;
	} else {
		mm = mm_new();
	}
	t = new_thread(s, pid, tid, mm);
	if (leader) {
		free(t->comm);
		t->comm = xstrdup(leader->comm);
	}
	return t;
}

static void process_comm(struct session *s, const struct perf_event_header *h)
{
	struct rec_comm c;
	struct thread *t;

	if (rec_comm_parse(h, &c) < 0)
		return;
	t = session_thread(s, c.pid, c.tid);
	free(t->comm);
	t->comm = xstrdup(c.comm);
	if (c.exec) {
		/* exec replaces the whole address space. */
		mm_put(t->mm);
		t->mm = mm_new();
	}
}

static void process_mmap(struct session *s, const struct perf_event_header *h)
{
	struct rec_mmap r;
	const char *name;
	struct map m;
	struct mm *mm;

	if (rec_mmap_parse(h, &r) < 0 || r.len == 0 || r.start + r.len < r.start)
		return;
	name = r.filename;
	if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_KERNEL || r.pid == (uint32_t)-1) {
		mm = s->kernel;
		/* perf names the kernel text map after its relocation symbol. */
		if (!strncmp(name, "[kernel.kallsyms]", 17))
			name = "[kernel.kallsyms]";
	} else {
		mm = session_thread(s, r.pid, r.tid)->mm;
	}
	m.start = r.start;
	m.end = r.start + r.len;
	m.pgoff = r.pgoff;
	m.dso = symbols_dso(s->syms, name);
	mm_insert(mm, &m);
}

static void process_fork(struct session *s, const struct perf_event_header *h)
{
	struct thread *parent, *child;
	struct rec_fork f;

	if (rec_fork_parse(h, &f) < 0 || h->type != PERF_RECORD_FORK || f.tid == f.ptid)
		return;
	parent = session_thread(s, f.ppid, f.ptid);
	if (f.pid == f.ppid) {
		/* A new thread of the same process shares the address space. */
		parent->mm->refs++;
		child = new_thread(s, f.pid, f.tid, parent->mm);
	} else {
		child = new_thread(s, f.pid, f.tid, mm_copy(parent->mm));
	}
	free(child->comm);
	child->comm = xstrdup(parent->comm);
}

void session_process(struct session *s, const struct perf_event_header *h)
{
	switch (h->type) {
	case PERF_RECORD_COMM: process_comm(s, h); break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2: process_mmap(s, h); break;
	case PERF_RECORD_FORK: process_fork(s, h); break;
	default: break;
	}
}

const struct map *session_find_map(struct session *s, const struct thread *t, unsigned cpumode,
				   uint64_t addr)
{
	if (cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		return mm_find(s->kernel, addr);
	return mm_find(t ? t->mm : NULL, addr);
}
