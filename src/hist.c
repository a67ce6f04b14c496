/* Histogram of samples keyed by the chosen sort keys, one slot per distinct key. */
#include "hwprof/hist.h"
#include "hwprof/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const key_names[HK_NR] = {
	[HK_COMM] = "comm", [HK_PID] = "pid", [HK_TID] = "tid",
	[HK_DSO] = "dso", [HK_SYM] = "sym", [HK_SRCLINE] = "srcline",
};

int hist_parse_keys(const char *spec, enum hist_key keys[HK_NR], const char **bad, size_t *badlen)
{
	int n = 0;
	const char *p = spec;

	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int k = 0; k < HK_NR; k++)
			if (strlen(key_names[k]) == len && !strncmp(p, key_names[k], len))
				found = k;
		if (found < 0 || n >= HK_NR) {
			*bad = p;
			*badlen = len;
			return -1;
		}
		keys[n++] = (enum hist_key)found;
		p += len;
		if (*p == ',')
			p++;
	}
	if (n == 0) {
		*bad = spec;
		*badlen = 0;
		return -1;
	}
	return n;
}

void hist_init(struct hist *h, size_t nevents, const enum hist_key *keys, size_t nkeys)
{
	memset(h, 0, sizeof(*h));
	h->nevents = nevents;
	h->ev_cap = nevents ? nevents : 1;
	memcpy(h->keys, keys, nkeys * sizeof(*keys));
	h->nkeys = nkeys;
	h->total_samples = xcalloc(h->ev_cap, sizeof(*h->total_samples));
	h->total_period = xcalloc(h->ev_cap, sizeof(*h->total_period));
}

static void entry_grow(struct hist_entry *e, size_t from, size_t to)
{
	e->samples = xrealloc_zeroed(e->samples, from, to, sizeof(*e->samples));
	e->period = xrealloc_zeroed(e->period, from, to, sizeof(*e->period));
	e->children = xrealloc_zeroed(e->children, from, to, sizeof(*e->children));
	if (e->callers)
		e->callers = xrealloc_zeroed(e->callers, from, to, sizeof(*e->callers));
}

void hist_set_nevents(struct hist *h, size_t n)
{
	size_t cap = h->ev_cap;

	if (n <= h->nevents)
		return;
	h->nevents = n;
	if (n <= cap)
		return;
	while (cap < n)
		cap *= 2;
	h->total_samples = xrealloc_zeroed(h->total_samples, h->ev_cap, cap, sizeof(*h->total_samples));
	h->total_period = xrealloc_zeroed(h->total_period, h->ev_cap, cap, sizeof(*h->total_period));
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i])
			entry_grow(h->slots[i], h->ev_cap, cap);
	h->ev_cap = cap;
}

static void callnode_free(struct hist_callnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		callnode_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n);
}

static void entry_free(struct hist_entry *e, size_t ev_cap)
{
	for (size_t i = 0; e->callers && i < ev_cap; i++)
		callnode_free(e->callers[i]);
	free(e->callers);
	free((char *)e->p.comm);
	free((char *)e->p.dso);
	free((char *)e->p.sym);
	free((char *)e->p.srcline);
	free(e->samples);
	free(e->period);
	free(e->children);
	free(e);
}

void hist_release(struct hist *h)
{
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i])
			entry_free(h->slots[i], h->ev_cap);
	free(h->slots);
	free(h->sorted);
	free(h->total_samples);
	free(h->total_period);
	memset(h, 0, sizeof(*h));
}

bool hist_has_key(const struct hist *h, enum hist_key k)
{
	for (size_t i = 0; i < h->nkeys; i++)
		if (h->keys[i] == k)
			return true;
	return false;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (h ^ 0xff) * 0x100000001b3ull;
}

static uint64_t hash_point(const struct hist *h, const struct hist_point *p)
{
	uint64_t x = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < h->nkeys; i++) {
		switch (h->keys[i]) {
		case HK_COMM: x = hash_str(x, p->comm); break;
		case HK_PID: x = (x ^ p->pid) * 0x100000001b3ull; break;
		case HK_TID: x = (x ^ p->tid) * 0x100000001b3ull; break;
		case HK_DSO: x = hash_str(x, p->dso); break;
		case HK_SYM: x = hash_str(x, p->sym) ^ p->kernel; break;
		case HK_SRCLINE: x = hash_str(x, p->srcline); break;
		case HK_NR: break;
		}
	}
	return x;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_point(const struct hist *h, const struct hist_point *a, const struct hist_point *b)
{
	for (size_t i = 0; i < h->nkeys; i++) {
		switch (h->keys[i]) {
		case HK_COMM: if (!str_eq(a->comm, b->comm)) return false; break;
		case HK_PID: if (a->pid != b->pid) return false; break;
		case HK_TID: if (a->tid != b->tid) return false; break;
		case HK_DSO: if (!str_eq(a->dso, b->dso)) return false; break;
		case HK_SYM: if (!str_eq(a->sym, b->sym) || a->kernel != b->kernel) return false; break;
		case HK_SRCLINE: if (!str_eq(a->srcline, b->srcline)) return false; break;
		case HK_NR: break;
		}
	}
	return true;
}

static void grow(struct hist *h)
{
	struct hist_entry **old = h->slots;
	size_t ocap = h->cap;

	h->cap = ocap ? ocap * 2 : 1024;
	h->slots = xcalloc(h->cap, sizeof(*h->slots));
	for (size_t i = 0; i < ocap; i++) {
		size_t s;
		if (!old[i])
			continue;
		s = hash_point(h, &old[i]->p) & (h->cap - 1);
		while (h->slots[s])
			s = (s + 1) & (h->cap - 1);
		h->slots[s] = old[i];
	}
	free(old);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct hist_entry *hist_entry_of(struct hist *h, const struct hist_point *p)
{
	struct hist_entry *e;
	size_t s;

	if ((h->nr + 1) * 2 > h->cap)
		grow(h);
	s = hash_point(h, p) & (h->cap - 1);
	while ((e = h->slots[s])) {
		if (same_point(h, &e->p, p))
			return e;
		s = (s + 1) & (h->cap - 1);
	}
	e = xcalloc(1, sizeof(*e));
	e->p = *p;
	e->p.comm = dup_or_null(p->comm);
	e->p.dso = dup_or_null(p->dso);
	e->p.sym = dup_or_null(p->sym);
	e->p.srcline = dup_or_null(p->srcline);
	e->samples = xcalloc(h->ev_cap, sizeof(*e->samples));
	e->period = xcalloc(h->ev_cap, sizeof(*e->period));
	e->children = xcalloc(h->ev_cap, sizeof(*e->children));
	h->slots[s] = e;
	h->nr++;
	return e;
}

void hist_add(struct hist *h, struct hist_entry *e, size_t event, uint64_t samples, double period)
{
	e->samples[event] += samples;
	e->period[event] += period;
	h->total_samples[event] += samples;
	h->total_period[event] += period;
}

struct sort_by {
	size_t event;
	bool children;
};

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_entry(const void *a, const void *b, void *arg)
{
	const struct hist_entry *x = *(struct hist_entry *const *)a, *y = *(struct hist_entry *const *)b;
	const struct sort_by *by = arg;
	double px = by->children ? x->children[by->event] : x->period[by->event];
	double py = by->children ? y->children[by->event] : y->period[by->event];
	int c;

	if (px != py)
		return px > py ? -1 : 1;
	if (x->samples[by->event] != y->samples[by->event])
		return x->samples[by->event] > y->samples[by->event] ? -1 : 1;
	/* Equal weights in one order whatever the sort's stability: by every key's text or number. */
	if ((c = cmp_str(x->p.sym, y->p.sym)) || (c = cmp_str(x->p.comm, y->p.comm)) ||
	    (c = cmp_str(x->p.dso, y->p.dso)) || (c = cmp_str(x->p.srcline, y->p.srcline)) ||
	    (c = cmp_u32(x->p.pid, y->p.pid)) || (c = cmp_u32(x->p.tid, y->p.tid)))
		return c;
	return (int)x->p.kernel - (int)y->p.kernel;
}

void hist_sort(struct hist *h, size_t event, bool children)
{
	size_t n = 0;

	free(h->sorted);
	h->sorted = xmalloc((h->nr ? h->nr : 1) * sizeof(*h->sorted));
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i])
			h->sorted[n++] = h->slots[i];
	qsort_r(h->sorted, n, sizeof(*h->sorted), cmp_entry, &(struct sort_by){ event, children });
}

void hist_add_callpath(struct hist *h, struct hist_entry *e, size_t event, const char *const *names, size_t n,
		       double period)
{
	struct hist_callnode *node;

	if (!e->callers)
		e->callers = xcalloc(h->ev_cap, sizeof(*e->callers));
	if (!e->callers[event])
		e->callers[event] = xcalloc(1, sizeof(**e->callers));
	node = e->callers[event];
	node->period += period;
	for (size_t i = 0; i < n; i++) {
		struct hist_callnode *next = NULL;
		for (size_t k = 0; k < node->nkids && !next; k++)
			if (!strcmp(node->kids[k]->name, names[i]))
				next = node->kids[k];
		if (!next) {
			next = xcalloc(1, sizeof(*next));
			next->name = xstrdup(names[i]);
			xgrow((void **)&node->kids, &node->kids_cap, node->nkids + 1, sizeof(*node->kids));
			node->kids[node->nkids++] = next;
		}
		next->period += period;
		node = next;
	}
}
