/* Aggregation of samples by sort keys, with per-event sample counts and periods. */
#ifndef HWPROF_HIST_H
#define HWPROF_HIST_H

#include "hwprof/index.h"
#include "hwprof/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hist_key {
	HK_COMM,
	HK_PID,
	HK_TID,
	HK_DSO,
	HK_SYM,
	HK_SRCLINE,
	HK_REASON,
	HK_TRACE,
	HK_NR,
};

/* One sample's attributes, as the sort keys see them. */
struct hist_point {
	const char *comm;
	uint32_t pid, tid;
	const char *dso;
	const char *sym;	/* "name", or an address text for unknowns */
	bool kernel;
	const char *srcline;
	const char *reason;	/* why an off-CPU wait waited; NULL for samples */
	const char *trace;	/* a tracepoint sample's fields ("f=v ..."), or one field's value */
};

/*
 * One sort key: how --sort, the table, the JSON and the histogram's
 * hashing and ordering see it. A new key is one enum value, one hist_point
 * field and one descriptor in hist.c; nothing else switches on keys.
 */
struct hist_key_desc {
	const char *name;	/* as --sort spells it */
	const char *json;	/* its member in report --json */
	const char *title;	/* the table's column */
	bool pad;		/* the table pads it to the widest value shown */
	int width;		/* the table's least width (numbers are right-aligned) */
	const char *missing;	/* the table's text when the value is absent */
	/* The value: the hist_point field at OFFSET, a text (may be NULL) or a
	 * uint32_t number. An offset, not an accessor: every sample hashes and
	 * compares it. */
	bool is_text;
	size_t offset;
	bool kernel_too;	/* user and kernel values of one text differ ("[k] ", "[.] ") */
};

extern const struct hist_key_desc hist_keys[HK_NR];

static inline const char *hist_key_text(const struct hist_key_desc *d, const struct hist_point *p)
{
	return *(const char *const *)(const void *)((const char *)p + d->offset);
}

static inline uint32_t hist_key_number(const struct hist_key_desc *d, const struct hist_point *p)
{
	return *(const uint32_t *)(const void *)((const char *)p + d->offset);
}
/* "comm,pid,tid,dso,sym,srcline": every key's name. */
const char *hist_key_names(void);
/* Appends P's value of key K as the table shows it. */
void hist_key_format(struct strbuf *sb, enum hist_key k, const struct hist_point *p);

/* A node of the callers tree under an entry: paths from the sampled function outwards. */
struct hist_callnode {
	char *name;
	double period;
	struct hist_callnode **kids;
	size_t nkids, kids_cap;
};

struct hist_entry {
	struct hist_point p;	/* strings owned by the entry */
	uint64_t *samples;	/* per event */
	double *period;		/* per event: sum of periods (or of group-read deltas) */
	double *children;	/* per event: inclusive period (with callchains) */
	struct hist_callnode **callers; /* per event (ev_cap), each NULL until it has a call path */
};

struct hist {
	size_t nevents;
	size_t ev_cap;			/* per-event arrays are allocated this long */
	enum hist_key keys[HK_NR];
	size_t nkeys;
	struct hist_entry **entries;	/* in order of creation */
	uint64_t *hashes;		/* each entry's key hash */
	size_t nr, cap;
	struct index index;
	struct hist_entry *last;	/* the entry hist_entry_of_run returned last */
	uint64_t *total_samples;
	double *total_period;
};

/* Parses "comm,dso,sym" into KEYS. Returns the number of keys, or -1 with
 * the unknown key in *BAD. */
int hist_parse_keys(const char *spec, enum hist_key keys[HK_NR], const char **bad, size_t *badlen);
void hist_init(struct hist *h, size_t nevents, const enum hist_key *keys, size_t nkeys);
/* Grows the number of events to N (more, never fewer), every entry with it. */
void hist_set_nevents(struct hist *h, size_t n);
void hist_release(struct hist *h);
/* The entry of P's key (created when new). Valid until hist_release. */
struct hist_entry *hist_entry_of(struct hist *h, const struct hist_point *p);
/* The same, trying the entry this function returned last first: for the
 * sampled function of each sample, which comes in runs. */
struct hist_entry *hist_entry_of_run(struct hist *h, const struct hist_point *p);
/* The entry of P's key, or NULL: a lookup that never creates. */
const struct hist_entry *hist_find(const struct hist *h, const struct hist_point *p);
void hist_add(struct hist *h, struct hist_entry *e, size_t event, uint64_t samples, double period);
/* The h->nr entries ranked by EVENT's period (inclusive when CHILDREN),
 * largest first, equal ones by their keys; an array the caller frees. */
const struct hist_entry **hist_sorted(const struct hist *h, size_t event, bool children);
/* The same, ranked by the sum of the N EVENTS' periods (wall-clock time is
 * on-CPU plus off-CPU), ties by EVENTS[0]'s samples, then by key. */
const struct hist_entry **hist_sorted_sum(const struct hist *h, const uint64_t *events, size_t n, bool children);
bool hist_has_key(const struct hist *h, enum hist_key k);
/* Adds EVENT's PERIOD along the path NAMES[0..N) (callers, innermost first) under E. */
void hist_add_callpath(struct hist *h, struct hist_entry *e, size_t event, const char *const *names, size_t n,
		       double period);

#endif
