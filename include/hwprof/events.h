/* Event specifications as perf spells them, parsed into perf_event_attr lists. */
#ifndef HWPROF_EVENTS_H
#define HWPROF_EVENTS_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>

struct evsel {
	char *name;		/* as the user spelled it, modifiers included */
	struct perf_event_attr attr;
	size_t leader;		/* index of the group leader; its own index when alone */
	size_t group_size;	/* members of the group, set on the leader only */
	bool needs_pmu;		/* hardware, cache, raw or a dynamic PMU's event */
	bool user_only_fallback; /* kernel counting was refused and dropped */
	char *tracepoint;	/* "subsys:name" of a tracepoint event, else NULL */
};

struct evlist {
	struct evsel *ev;
	size_t nr;
	size_t cap;
};

struct evparse_opts {
	const char *sysfs;	/* root for PMU lookups; NULL means "/sys" */
	const char *tracefs;	/* tracefs root; NULL: where the kernel mounts it */
};

/* One row of the symbolic event tables, for `hwprof list`. */
struct event_name {
	const char *name;
	const char *alias;	/* second spelling perf accepts, or NULL */
	__u32 type;
	__u64 config;
};

void evlist_init(struct evlist *el);
void evlist_release(struct evlist *el);

/* Appends the events of SPEC ("cycles,{instructions,cache-misses}:S,r01c2")
 * to EL. Returns 0, or a negative error with a one-line explanation in ERR
 * (naming the offending part of the spec); EL is unchanged on error. */
int evlist_parse(struct evlist *el, const char *spec, const struct evparse_opts *opts,
		 char *err, size_t errlen);

/* Tables of symbolic names; valid for the life of the program. *NR is set to
 * the number of rows. Cache events are generated (L1-dcache-load-misses...). */
const struct event_name *events_hardware(size_t *nr);
const struct event_name *events_software(size_t *nr);
const struct event_name *events_cache(size_t *nr);

/* True when the attr names a hardware-cache event whose result is "miss";
 * *access_config is set to the matching access event's config. */
bool events_cache_is_miss(const struct perf_event_attr *attr, __u64 *access_config);

/* The name perf 6.1 gives an attr without a recorded name: the symbolic
 * name plus modifiers derived from its bits ("cycles:ppH"). Caller frees. */
char *events_attr_name(const struct perf_event_attr *attr);

/* Canonical name of a symbolic event (type, config), or NULL. */
const char *events_name_of(__u32 type, __u64 config);

#endif
