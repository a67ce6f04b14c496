/* Threads and address spaces of a recording, as its records describe them over time. */
#include "hwprof/session.h"
#include "hwprof/util.h"

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

static void mm_put(struct mm *mm)
{
	if (mm && --mm->refs == 0) {
		free(mm->maps);
		free(mm);
	}
}

static struct mm *mm_copy(const struct mm *src)
{
	struct mm *mm = mm_new();

	if (src && src->nr) {
		mm->maps = xmalloc(src->nr * sizeof(*mm->maps));
		memcpy(mm->maps, src->maps, src->nr * sizeof(*mm->maps));
		mm->nr = mm->cap = src->nr;
	}
	return mm;
}

/* Inserts M, cutting away whatever part of older maps it overlaps. */
static void mm_insert(struct mm *mm, const struct map *m)
{
	size_t i = 0, out;
	struct map *keep;

	/* Worst case one map is split in two around the new one. */
	xgrow((void **)&mm->maps, &mm->cap, mm->nr + 2, sizeof(*mm->maps));
	keep = xmalloc((mm->nr + 2) * sizeof(*keep));
	out = 0;
	for (i = 0; i < mm->nr; i++) {
		struct map o = mm->maps[i];
		if (o.end <= m->start || o.start >= m->end) {
			keep[out++] = o;
			continue;
		}
		if (o.start < m->start) {
			struct map left = o;
			left.end = m->start;
			keep[out++] = left;
		}
		if (o.end > m->end) {
			struct map right = o;
			right.pgoff += m->end - o.start;
			right.start = m->end;
			keep[out++] = right;
		}
	}
	/* Insert in order. */
	i = 0;
	while (i < out && keep[i].start < m->start)
		i++;
	memmove(&keep[i + 1], &keep[i], (out - i) * sizeof(*keep));
	keep[i] = *m;
	out++;
	free(mm->maps);
	mm->maps = keep;
	mm->nr = out;
	mm->cap = mm->nr + 2;
	mm->gen++;
}

static const struct map *mm_find(const struct mm *mm, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!mm)
		return NULL;
	hi = mm->nr;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mm->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mm->nr && mm->maps[lo].start <= addr && addr < mm->maps[lo].end)
		return &mm->maps[lo];
	return NULL;
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
	for (size_t i = 0; i < s->threads_cap; i++)
		if (s->threads[i])
			thread_free(s->threads[i]);
	free(s->threads);
	mm_put(s->kernel);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(const struct session *s, uint32_t tid)
{
	size_t h = (tid * 2654435761u) & (s->threads_cap - 1);
	while (s->threads[h] && s->threads[h]->tid != tid)
		h = (h + 1) & (s->threads_cap - 1);
	return h;
}

static struct thread *find_thread(struct session *s, uint32_t tid)
{
	return s->threads_cap ? s->threads[slot_of(s, tid)] : NULL;
}

static void grow_threads(struct session *s)
{
	struct thread **old = s->threads;
	size_t ocap = s->threads_cap;

	s->threads_cap = ocap ? ocap * 2 : 256;
	s->threads = xcalloc(s->threads_cap, sizeof(*s->threads));
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			s->threads[slot_of(s, old[i]->tid)] = old[i];
	free(old);
}

static struct thread *new_thread(struct session *s, uint32_t pid, uint32_t tid, struct mm *mm)
{
	struct thread *t = xcalloc(1, sizeof(*t));

	if ((s->nthreads + 1) * 2 > s->threads_cap)
		grow_threads(s);
	t->pid = pid;
	t->tid = tid;
	t->comm = xasprintf(":%u", tid);
	t->mm = mm;
	s->threads[slot_of(s, tid)] = t;
	s->nthreads++;
	return t;
}

/* Replaces thread TID with a fresh one (tid reuse, or a fork we saw late). */
static void drop_thread(struct session *s, uint32_t tid)
{
	size_t h;

	if (!s->threads_cap)
		return;
	h = slot_of(s, tid);
	if (!s->threads[h])
		return;
	thread_free(s->threads[h]);
	s->threads[h] = NULL;
	s->nthreads--;
	/* Re-seat the following cluster so lookups keep working. */
	for (size_t i = (h + 1) & (s->threads_cap - 1); s->threads[i]; i = (i + 1) & (s->threads_cap - 1)) {
		struct thread *t = s->threads[i];
		s->threads[i] = NULL;
		s->threads[slot_of(s, t->tid)] = t;
	}
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
	const uint8_t *p = (const uint8_t *)(h + 1);
	size_t body = h->size - sizeof(*h);
	uint32_t pid, tid;
	struct thread *t;

	if (body < 9 || !memchr(p + 8, '\0', body - 8))
		return;
	memcpy(&pid, p, 4);
	memcpy(&tid, p + 4, 4);
	t = session_thread(s, pid, tid);
	free(t->comm);
	t->comm = xstrdup((const char *)p + 8);
	if (h->misc & PERF_RECORD_MISC_COMM_EXEC) {
		/* exec replaces the whole address space. */
		mm_put(t->mm);
		t->mm = mm_new();
	}
}

static void process_mmap(struct session *s, const struct perf_event_header *h)
{
	const uint8_t *p = (const uint8_t *)(h + 1);
	size_t body = h->size - sizeof(*h);
	size_t fixed = h->type == PERF_RECORD_MMAP2 ? 64 : 32;
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	const char *name;
	struct map m;
	struct mm *mm;

	if (body < fixed + 1 || !memchr(p + fixed, '\0', body - fixed))
		return;
	memcpy(&pid, p, 4);
	memcpy(&tid, p + 4, 4);
	memcpy(&start, p + 8, 8);
	memcpy(&len, p + 16, 8);
	memcpy(&pgoff, p + 24, 8);
	name = (const char *)p + fixed;
	if (len == 0 || start + len < start)
		return;
	if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_KERNEL || pid == (uint32_t)-1) {
		mm = s->kernel;
		/* perf names the kernel text map after its relocation symbol. */
		if (!strncmp(name, "[kernel.kallsyms]", 17))
			name = "[kernel.kallsyms]";
	} else {
		mm = session_thread(s, pid, tid)->mm;
	}
	m.start = start;
	m.end = start + len;
	m.pgoff = pgoff;
	m.dso = symbols_dso(s->syms, name);
	mm_insert(mm, &m);
}

static void process_fork(struct session *s, const struct perf_event_header *h)
{
	uint32_t v[4]; /* pid, ppid, tid, ptid */
	struct thread *parent, *child;

	if (h->size < sizeof(*h) + sizeof(v))
		return;
	memcpy(v, h + 1, sizeof(v));
	if (v[2] == v[3])
		return;
	parent = session_thread(s, v[1], v[3]);
	drop_thread(s, v[2]);
	if (v[0] == v[1]) {
		/* A new thread of the same process shares the address space. */
		parent->mm->refs++;
		child = new_thread(s, v[0], v[2], parent->mm);
	} else {
		child = new_thread(s, v[0], v[2], mm_copy(parent->mm));
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
