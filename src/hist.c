/* Histogram of samples keyed by the chosen sort keys, one slot per distinct key. */
#include "hwprof/hist.h"
#include "hwprof/util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define TEXT(f) true, offsetof(struct hist_point, f)
#define NUMBER(f) false, offsetof(struct hist_point, f)

const struct hist_key_desc hist_keys[HK_NR] = {
	[HK_COMM] = { "comm", "comm", "Command", true, 7, "", TEXT(comm), false },
	[HK_PID] = { "pid", "pid", "Pid", false, 7, "", NUMBER(pid), false },
	[HK_TID] = { "tid", "tid", "Tid", false, 7, "", NUMBER(tid), false },
	[HK_DSO] = { "dso", "dso", "Shared Object", true, 13, "", TEXT(dso), false },
	[HK_SYM] = { "sym", "symbol", "Symbol", false, 0, "", TEXT(sym), true },
	[HK_SRCLINE] = { "srcline", "srcline", "Source:Line", false, 0, "??:0", TEXT(srcline), false },
	[HK_REASON] = { "reason", "reason", "Waiting on", true, 10, "-", TEXT(reason), false },
	[HK_TRACE] = { "trace", "trace", "Trace fields", false, 0, "-", TEXT(trace), false },
};

const char *hist_key_names(void)
{
	return "comm,pid,tid,dso,sym,srcline,reason,trace";
}

void hist_key_format(struct strbuf *sb, enum hist_key k, const struct hist_point *p)
{
	const struct hist_key_desc *d = &hist_keys[k];
	const char *t;

	if (!d->is_text) {
		sb_printf(sb, "%*u", d->width, hist_key_number(d, p));
		return;
	}
	if (d->kernel_too)
		sb_puts(sb, p->kernel ? "[k] " : "[.] ");
	t = hist_key_text(d, p);
	sb_puts(sb, t ? t : d->missing);
}

int hist_parse_keys(const char *spec, enum hist_key keys[HK_NR], const char **bad, size_t *badlen)
{
	int n = 0;
	const char *p = spec;

	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int k = 0; k < HK_NR; k++)
			if (strlen(hist_keys[k].name) == len && !strncmp(p, hist_keys[k].name, len))
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
	for (size_t i = 0; i < h->nr; i++)
		entry_grow(h->entries[i], h->ev_cap, cap);
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
	free((char *)e->p.reason);
	free((char *)e->p.trace);
	free(e->samples);
	free(e->period);
	free(e->children);
	free(e);
}

void hist_release(struct hist *h)
{
	for (size_t i = 0; i < h->nr; i++)
		entry_free(h->entries[i], h->ev_cap);
	free(h->entries);
	free(h->hashes);
	index_release(&h->index);
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
		const struct hist_key_desc *d = &hist_keys[h->keys[i]];
		if (!d->is_text)
			x = hash_mix(x, hist_key_number(d, p));
		else
			x = hash_str(x, hist_key_text(d, p)) ^ (d->kernel_too && p->kernel);
	}
	return x;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* Orders points by key K; 0 when K sees them as one. An absent text is its
 * own value, apart from the empty one. */
static inline __attribute__((always_inline)) int cmp_key(enum hist_key k, const struct hist_point *a,
							   const struct hist_point *b)
{
	const struct hist_key_desc *d = &hist_keys[k];
	const char *x, *y;
	int c;

	if (!d->is_text)
		return cmp_u32(hist_key_number(d, a), hist_key_number(d, b));
	x = hist_key_text(d, a);
	y = hist_key_text(d, b);
	if (!x || !y)
		c = (x != NULL) - (y != NULL);
	else
		c = strcmp(x, y);
	if (!c && d->kernel_too)
		c = (int)a->kernel - (int)b->kernel;
	return c;
}

static bool same_point(const struct hist *h, const struct hist_point *a, const struct hist_point *b)
{
	/* The last key is the finest (sym after comm and dso): it differs first. */
	for (size_t i = h->nkeys; i-- > 0;)
		if (cmp_key(h->keys[i], a, b))
			return false;
	return true;
}

struct find_key {
	const struct hist_point *p;
	uint64_t hash;
};

static bool entry_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct hist *h = ctx;
	const struct find_key *k = key;

	/* Different hashes are different keys: no string compared on a collision. */
	return h->hashes[item] == k->hash && same_point(h, &h->entries[item]->p, k->p);
}

static uint64_t entry_hash(const void *ctx, uint32_t item)
{
	return ((const struct hist *)ctx)->hashes[item];
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct hist_entry *hist_entry_of_run(struct hist *h, const struct hist_point *p)
{
	/* Samples come in runs of one function: the last entry first, which
	 * costs a compare instead of hashing every key's text. */
	if (h->last && same_point(h, &h->last->p, p))
		return h->last;
	return h->last = hist_entry_of(h, p);
}

const struct hist_entry *hist_find(const struct hist *h, const struct hist_point *p)
{
	struct find_key k = { p, hash_point(h, p) };
	long i = index_find(&h->index, k.hash, entry_eq, h, &k);

	return i < 0 ? NULL : h->entries[i];
}

struct hist_entry *hist_entry_of(struct hist *h, const struct hist_point *p)
{
	struct find_key k;
	struct hist_entry *e;
	uint64_t hash;
	long i;

	hash = hash_point(h, p);
	k = (struct find_key){ p, hash };
	i = index_find(&h->index, hash, entry_eq, h, &k);
	if (i >= 0)
		return h->entries[i];
	e = xcalloc(1, sizeof(*e));
	e->p = *p;
	e->p.comm = dup_or_null(p->comm);
	e->p.dso = dup_or_null(p->dso);
	e->p.sym = dup_or_null(p->sym);
	e->p.srcline = dup_or_null(p->srcline);
	e->p.reason = dup_or_null(p->reason);
	e->p.trace = dup_or_null(p->trace);
	e->samples = xcalloc(h->ev_cap, sizeof(*e->samples));
	e->period = xcalloc(h->ev_cap, sizeof(*e->period));
	e->children = xcalloc(h->ev_cap, sizeof(*e->children));
	if (h->nr == h->cap) {
		size_t cap = h->cap;
		xgrow((void **)&h->entries, &cap, h->nr + 1, sizeof(*h->entries));
		xgrow((void **)&h->hashes, &h->cap, h->nr + 1, sizeof(*h->hashes));
	}
	h->entries[h->nr] = e;
	h->hashes[h->nr] = hash;
	index_insert(&h->index, hash, (uint32_t)h->nr, entry_hash, h);
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
	const uint64_t *events;	/* with hist_sorted_sum: rank by the sum of these */
	size_t nevents;
};

static double weight_of(const struct hist_entry *e, const struct sort_by *by)
{
	const double *v = by->children ? e->children : e->period;
	double sum = 0;

	if (!by->events)
		return v[by->event];
	for (size_t i = 0; i < by->nevents; i++)
		sum += v[by->events[i]];
	return sum;
}

static int cmp_entry(const void *a, const void *b, void *arg)
{
	const struct hist_entry *x = *(struct hist_entry *const *)a, *y = *(struct hist_entry *const *)b;
	const struct sort_by *by = arg;
	double px = weight_of(x, by), py = weight_of(y, by);
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

static const struct hist_entry **sorted_by(const struct hist *h, const struct sort_by *by)
{
	const struct hist_entry **v = xmalloc((h->nr ? h->nr : 1) * sizeof(*v));

	if (h->nr)	/* entries is NULL while empty */
		memcpy(v, h->entries, h->nr * sizeof(*v));
	qsort_r(v, h->nr, sizeof(*v), cmp_entry, (void *)by);
	return v;
}

const struct hist_entry **hist_sorted(const struct hist *h, size_t event, bool children)
{
	return sorted_by(h, &(struct sort_by){ event, children, NULL, 0 });
}

const struct hist_entry **hist_sorted_sum(const struct hist *h, const uint64_t *events, size_t n, bool children)
{
	return sorted_by(h, &(struct sort_by){ events[0], children, events, n });
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
