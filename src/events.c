/* Event spec parser: perf's symbolic names, generic cache events, raw codes, PMU terms, modifiers, groups. */
#include "hwprof/events.h"
#include "hwprof/tracefs.h"
#include "hwprof/util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct event_name hw_events[] = {
	{ "cycles", "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", "branch-instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
	{ "stalled-cycles-frontend", "idle-cycles-frontend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", "idle-cycles-backend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "ref-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
};

static const struct event_name sw_events[] = {
	{ "cpu-clock", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "minor-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "alignment-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS },
	{ "emulation-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS },
	{ "dummy", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
};

/* Which (cache, op) pairs perf considers meaningful; the others it never names. */
static const struct {
	const char *name;
	unsigned ops; /* bit per PERF_COUNT_HW_CACHE_OP_* */
} caches[] = {
	[PERF_COUNT_HW_CACHE_L1D] = { "L1-dcache", 7 },
	[PERF_COUNT_HW_CACHE_L1I] = { "L1-icache", 5 },
	[PERF_COUNT_HW_CACHE_LL] = { "LLC", 7 },
	[PERF_COUNT_HW_CACHE_DTLB] = { "dTLB", 7 },
	[PERF_COUNT_HW_CACHE_ITLB] = { "iTLB", 1 },
	[PERF_COUNT_HW_CACHE_BPU] = { "branch", 1 },
	[PERF_COUNT_HW_CACHE_NODE] = { "node", 7 },
};
static const char *const cache_op_access[] = { "loads", "stores", "prefetches" };
static const char *const cache_op_miss[] = { "load-misses", "store-misses", "prefetch-misses" };

static struct event_name *cache_table;
static size_t cache_table_nr;

const struct event_name *events_hardware(size_t *nr)
{
	*nr = ARRAY_SIZE(hw_events);
	return hw_events;
}

const struct event_name *events_software(size_t *nr)
{
	*nr = ARRAY_SIZE(sw_events);
	return sw_events;
}

static void free_cache_table(void)
{
	for (size_t i = 0; i < cache_table_nr; i++)
		free((char *)cache_table[i].name);
	free(cache_table);
}

const struct event_name *events_cache(size_t *nr)
{
	if (!cache_table) {
		size_t cap = 0;
		for (unsigned c = 0; c < ARRAY_SIZE(caches); c++) {
			for (unsigned op = 0; op < 3; op++) {
				if (!(caches[c].ops & (1u << op)))
					continue;
				for (unsigned res = 0; res < 2; res++) {
					xgrow((void **)&cache_table, &cap, cache_table_nr + 1,
					      sizeof(*cache_table));
					cache_table[cache_table_nr++] = (struct event_name){
						.name = xasprintf("%s-%s", caches[c].name,
								  res ? cache_op_miss[op]
								      : cache_op_access[op]),
						.type = PERF_TYPE_HW_CACHE,
						.config = c | (op << 8) | ((__u64)res << 16),
					};
				}
			}
		}
		atexit(free_cache_table);
	}
	*nr = cache_table_nr;
	return cache_table;
}

bool events_cache_is_miss(const struct perf_event_attr *attr, __u64 *access_config)
{
	if (attr->type != PERF_TYPE_HW_CACHE || ((attr->config >> 16) & 0xff) != 1)
		return false;
	*access_config = attr->config & 0xffff;
	return true;
}

static const struct event_name *lookup_table(const struct event_name *t, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(t[i].name, name) || (t[i].alias && !strcmp(t[i].alias, name)))
			return &t[i];
	return NULL;
}

static const struct event_name *lookup_symbolic(const char *name)
{
	const struct event_name *t, *e;
	size_t nr;

	t = events_hardware(&nr);
	if ((e = lookup_table(t, nr, name)))
		return e;
	t = events_software(&nr);
	if ((e = lookup_table(t, nr, name)))
		return e;
	t = events_cache(&nr);
	return lookup_table(t, nr, name);
}

const char *events_name_of(__u32 type, __u64 config)
{
	const struct event_name *tables[3];
	size_t nrs[3];

	tables[0] = events_hardware(&nrs[0]);
	tables[1] = events_software(&nrs[1]);
	tables[2] = events_cache(&nrs[2]);
	for (int t = 0; t < 3; t++)
		for (size_t i = 0; i < nrs[t]; i++)
			if (tables[t][i].type == type && tables[t][i].config == config)
				return tables[t][i].name;
	return NULL;
}

/* The closest symbolic name within two edits, for "did you mean". */
static const char *closest_name(const char *name)
{
	const struct event_name *tables[3];
	size_t nrs[3], best = 3;
	const char *found = NULL;

	tables[0] = events_hardware(&nrs[0]);
	tables[1] = events_software(&nrs[1]);
	tables[2] = events_cache(&nrs[2]);
	for (int t = 0; t < 3; t++) {
		for (size_t i = 0; i < nrs[t]; i++) {
			size_t d = edit_distance(name, tables[t][i].name);
			if (d < best) {
				best = d;
				found = tables[t][i].name;
			}
		}
	}
	return found;
}

struct parser {
	const char *spec;
	const char *p;
	const struct evparse_opts *opts;
	char *err;
	size_t errlen;
	char **more;		/* a tracepoint glob's matches after the first */
	size_t nmore;
	bool in_group;
};

__attribute__((format(printf, 2, 3))) static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return -HWPROF_E_SYNTAX;
}

/* Modifier letters of one event or group, accumulated. */
struct mods {
	bool u, k, h;
	int precise;
	bool sample_read, pinned;
};

static int parse_mods(struct parser *ps, const char *start, size_t len, struct mods *m)
{
	for (size_t i = 0; i < len; i++) {
		switch (start[i]) {
		case 'u': m->u = true; break;
		case 'k': m->k = true; break;
		case 'h': m->h = true; break;
		case 'p':
			if (++m->precise > 3)
				return perr(ps, "too many 'p' modifiers in '%.*s' (at most 3)",
					    (int)len, start);
			break;
		case 'S': m->sample_read = true; break;
		case 'D': m->pinned = true; break;
		default:
			return perr(ps, "unknown modifier '%c' in ':%.*s' (known: u k h p S D)",
				    start[i], (int)len, start);
		}
	}
	return 0;
}

static void apply_mods(struct perf_event_attr *a, const struct mods *m)
{
	if (m->u || m->k || m->h) {
		a->exclude_user = !m->u;
		a->exclude_kernel = !m->k;
		a->exclude_hv = !m->h;
	}
	if (m->precise > (int)a->precise_ip)
		a->precise_ip = (unsigned)m->precise;
	if (m->pinned)
		a->pinned = 1;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

static int parse_u64(const char *s, size_t len, __u64 *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '-')
		return -1;
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Places VALUE into the bit ranges a PMU format file names ("config:0-7,21"). */
static int apply_format(struct parser *ps, struct perf_event_attr *a, const char *fmtspec,
			const char *term, __u64 value)
{
	const char *colon = strchr(fmtspec, ':');
	__u64 *field;
	const char *p;
	unsigned shift = 0;

	if (!colon)
		return perr(ps, "unreadable PMU format for term '%s': '%s'", term, fmtspec);
	if (!strncmp(fmtspec, "config:", 7))
		field = (__u64 *)&a->config;
	else if (!strncmp(fmtspec, "config1:", 8))
		field = (__u64 *)&a->config1;
	else if (!strncmp(fmtspec, "config2:", 8))
		field = (__u64 *)&a->config2;
	else
		return perr(ps, "unsupported PMU format for term '%s': '%s'", term, fmtspec);
	p = colon + 1;
	while (*p && *p != '\n') {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p || lo > 63)
			return perr(ps, "unreadable PMU format for term '%s': '%s'", term, fmtspec);
		p = end;
		if (*p == '-') {
			hi = strtoul(p + 1, &end, 10);
			if (end == p + 1 || hi > 63 || hi < lo)
				return perr(ps, "unreadable PMU format for term '%s': '%s'", term,
					    fmtspec);
			p = end;
		}
		for (unsigned long bit = lo; bit <= hi; bit++, shift++) {
			if (shift < 64 && (value >> shift) & 1)
				*field |= 1ull << bit;
		}
		if (*p == ',')
			p++;
	}
	if (shift < 64 && (value >> shift) != 0)
		return perr(ps, "value 0x%llx does not fit in term '%s' (%u bits)",
			    (unsigned long long)value, term, shift);
	return 0;
}

static int parse_pmu_terms(struct parser *ps, const char *pmu, const char *terms, size_t len,
			   struct perf_event_attr *a, int depth);

static int parse_pmu_term(struct parser *ps, const char *pmu, const char *term, size_t len,
			  struct perf_event_attr *a, int depth)
{
	const char *eq = memchr(term, '=', len);
	const char *root = ps->opts && ps->opts->sysfs ? ps->opts->sysfs : "/sys";
	char *key, *path, *text;
	__u64 value = 1;
	int rc;

	key = xasprintf("%.*s", (int)(eq ? (size_t)(eq - term) : len), term);
	if (eq && parse_u64(eq + 1, len - (size_t)(eq + 1 - term), &value)) {
		rc = perr(ps, "bad value in term '%.*s' (want a number such as 0x3c)", (int)len, term);
		goto out;
	}
	if (!strcmp(key, "config")) {
		a->config = value;
		rc = 0;
		goto out;
	}
	if (!strcmp(key, "config1") || !strcmp(key, "config2")) {
		if (key[6] == '1')
			a->config1 = value;
		else
			a->config2 = value;
		rc = 0;
		goto out;
	}
	path = xasprintf("%s/bus/event_source/devices/%s/format/%s", root, pmu, key);
	rc = read_small_file(path, &text);
	free(path);
	if (rc == 0) {
		rc = apply_format(ps, a, text, key, value);
		free(text);
		goto out;
	}
	/* A bare word may name one of the PMU's published events. */
	if (!eq && depth == 0) {
		path = xasprintf("%s/bus/event_source/devices/%s/events/%s", root, pmu, key);
		rc = read_small_file(path, &text);
		free(path);
		if (rc == 0) {
			size_t tl = strcspn(text, "\n");
			rc = parse_pmu_terms(ps, pmu, text, tl, a, depth + 1);
			free(text);
			goto out;
		}
	}
	rc = perr(ps, "PMU '%s' has no term or event '%s'", pmu, key);
out:
	free(key);
	return rc;
}

static int parse_pmu_terms(struct parser *ps, const char *pmu, const char *terms, size_t len,
			   struct perf_event_attr *a, int depth)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		int rc;
		while (j < len && terms[j] != ',')
			j++;
		if (j == i)
			return perr(ps, "empty term in '%s/%.*s/'", pmu, (int)len, terms);
		rc = parse_pmu_term(ps, pmu, terms + i, j - i, a, depth);
		if (rc)
			return rc;
		i = j + 1;
	}
	return 0;
}

/* Parses "pmu/terms/[mods]" at ps->p; the PMU name was already scanned. */
static int parse_pmu_event(struct parser *ps, const char *name_start, size_t name_len,
			   struct evsel *ev, struct mods *m)
{
	const char *root = ps->opts && ps->opts->sysfs ? ps->opts->sysfs : "/sys";
	char *pmu = xasprintf("%.*s", (int)name_len, name_start);
	const char *terms = ps->p + 1, *close = strchr(terms, '/');
	char *path, *text = NULL;
	char *end;
	long type;
	int rc;

	if (!close) {
		rc = perr(ps, "missing closing '/' in '%s'", name_start);
		goto out;
	}
	path = xasprintf("%s/bus/event_source/devices/%s/type", root, pmu);
	rc = read_small_file(path, &text);
	free(path);
	if (rc < 0) {
		rc = perr(ps, "unknown PMU '%s' (not in %s/bus/event_source/devices)", pmu, root);
		goto out;
	}
	type = strtol(text, &end, 10);
	if (end == text || type < 0 || type > UINT32_MAX) {
		rc = perr(ps, "unreadable type of PMU '%s'", pmu);
		goto out;
	}
	ev->attr.type = (__u32)type;
	rc = parse_pmu_terms(ps, pmu, terms, (size_t)(close - terms), &ev->attr, 0);
	if (rc)
		goto out;
	ps->p = close + 1;
	if (*ps->p == ':')
		ps->p++;
	{
		const char *ms = ps->p;
		while (isalpha((unsigned char)*ps->p))
			ps->p++;
		rc = parse_mods(ps, ms, (size_t)(ps->p - ms), m);
	}
	ev->needs_pmu = ev->attr.type == PERF_TYPE_HARDWARE || ev->attr.type == PERF_TYPE_HW_CACHE ||
			ev->attr.type == PERF_TYPE_RAW;
out:
	free(text);
	free(pmu);
	return rc;
}

static bool is_raw_name(const char *s, size_t len, __u64 *config)
{
	__u64 v = 0;

	if (len < 2 || len > 17 || s[0] != 'r')
		return false;
	for (size_t i = 1; i < len; i++) {
		int c = tolower((unsigned char)s[i]);
		if (!isxdigit(c))
			return false;
		v = v << 4 | (__u64)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	*config = v;
	return true;
}

static bool is_tp_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '*' || c == '?';
}

/* SUBSYS:NAME (NAME may be a glob) after SUBSYS, at ':'. */
static int parse_tracepoint(struct parser *ps, const char *subsys, struct evsel *ev)
{
	const char *start = ++ps->p, *dir;
	char why[256], *name, **names;
	size_t n;
	uint64_t id;

	while (is_tp_char(*ps->p))
		ps->p++;
	if (ps->p == start)
		return perr(ps, "unknown event '%s' ('hwprof list' shows all)", subsys);
	name = xasprintf("%.*s", (int)(ps->p - start), start);
	dir = tracefs_dir(ps->opts ? ps->opts->tracefs : NULL, why, sizeof(why));
	if (!dir) {
		perr(ps, "tracepoint '%s:%s': %s", subsys, name, why);
		free(name);
		return -HWPROF_E_UNKNOWN_EVENT;
	}
	n = tracefs_events(dir, subsys, name, &names);
	if (!n) {
		if (strpbrk(name, "*?") || strpbrk(subsys, "*?"))
			perr(ps, "no tracepoint matches '%s:%s' ('hwprof list tracepoint' shows them)", subsys, name);
		else
			tracefs_event_id(dir, subsys, name, &id, ps->err, ps->errlen);
		free(name);
		return -HWPROF_E_UNKNOWN_EVENT;
	}
	free(name);
	if (n > 1 && ps->in_group) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return perr(ps, "a tracepoint glob cannot be in a group");
	}
	{
		char *colon = strchr(names[0], ':');
		*colon = 0;
		if (tracefs_event_id(dir, names[0], colon + 1, &id, ps->err, ps->errlen) < 0) {
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			return -HWPROF_E_UNKNOWN_EVENT;
		}
		*colon = ':';
	}
	ev->attr.type = PERF_TYPE_TRACEPOINT;
	ev->attr.config = id;
	ev->tracepoint = names[0];
	ps->more = names + 1 == names + n ? NULL : names;
	ps->nmore = n - 1;
	if (!ps->more)
		free(names);
	return 0;
}

/* One event at ps->p, ending before ',', '}' or the end. */
static int parse_event(struct parser *ps, struct evsel *ev, struct mods *m)
{
	const char *start = ps->p;
	const struct event_name *sym;
	char *name;
	__u64 raw;
	int rc;

	while (is_name_char(*ps->p))
		ps->p++;
	if (ps->p == start)
		return perr(ps, "expected an event name at '%s'", start);
	if (*ps->p == '/')
		return parse_pmu_event(ps, start, (size_t)(ps->p - start), ev, m);

	name = xasprintf("%.*s", (int)(ps->p - start), start);
	if (*ps->p == ':' && !lookup_symbolic(name) && !is_raw_name(name, strlen(name), &raw)) {
		rc = parse_tracepoint(ps, name, ev);
		if (rc) {
			free(name);
			return rc;
		}
	} else if ((sym = lookup_symbolic(name))) {
		ev->attr.type = sym->type;
		ev->attr.config = sym->config;
		ev->needs_pmu = sym->type != PERF_TYPE_SOFTWARE;
	} else if (is_raw_name(name, strlen(name), &raw)) {
		ev->attr.type = PERF_TYPE_RAW;
		ev->attr.config = raw;
		ev->needs_pmu = true;
	} else {
		const char *hint = closest_name(name);
		if (hint)
			perr(ps, "unknown event '%s' (did you mean '%s'? 'hwprof list' shows all)",
			     name, hint);
		else
			perr(ps, "unknown event '%s' ('hwprof list' shows all)", name);
		free(name);
		return -HWPROF_E_UNKNOWN_EVENT;
	}
	free(name);
	if (*ps->p == ':') {
		const char *ms = ++ps->p;
		while (isalpha((unsigned char)*ps->p))
			ps->p++;
		if (ps->p == ms)
			return perr(ps, "empty modifier after '%.*s'", (int)(ms - start), start);
		rc = parse_mods(ps, ms, (size_t)(ps->p - ms), m);
		if (rc)
			return rc;
	}
	return 0;
}

static void evsel_release(struct evsel *ev)
{
	free(ev->name);
	free(ev->tracepoint);
}

static struct evsel *evlist_add(struct evlist *el)
{
	struct evsel *ev;

	xgrow((void **)&el->ev, &el->cap, el->nr + 1, sizeof(*el->ev));
	ev = &el->ev[el->nr];
	memset(ev, 0, sizeof(*ev));
	ev->attr.size = sizeof(ev->attr);
	ev->leader = el->nr;
	ev->group_size = 1;
	el->nr++;
	return ev;
}

static void evlist_truncate(struct evlist *el, size_t nr)
{
	while (el->nr > nr)
		evsel_release(&el->ev[--el->nr]);
}

void evlist_init(struct evlist *el)
{
	memset(el, 0, sizeof(*el));
}

void evlist_release(struct evlist *el)
{
	evlist_truncate(el, 0);
	free(el->ev);
	evlist_init(el);
}

static void set_display_name(struct evsel *ev, const char *start, const char *end,
			     const char *group_mods, size_t group_mods_len)
{
	size_t len = (size_t)(end - start);
	bool has_mods = memchr(start, ':', len) != NULL || memchr(start, '/', len) != NULL;

	if (group_mods_len)
		ev->name = xasprintf("%.*s%s%.*s", (int)len, start, has_mods ? "" : ":",
				     (int)group_mods_len, group_mods);
	else
		ev->name = xasprintf("%.*s", (int)len, start);
}

static int parse_group(struct parser *ps, struct evlist *el)
{
	size_t first = el->nr;
	const char **starts = NULL, **ends = NULL;
	struct mods *own = NULL;
	size_t cap_s = 0, cap_e = 0, cap_m = 0, n = 0;
	struct mods gm = { 0 };
	const char *gms = "";
	size_t gml = 0;
	int rc = 0;

	ps->p++; /* '{' */
	ps->in_group = true;
	for (;;) {
		struct evsel *ev = evlist_add(el);
		xgrow((void **)&starts, &cap_s, n + 1, sizeof(*starts));
		xgrow((void **)&ends, &cap_e, n + 1, sizeof(*ends));
		xgrow((void **)&own, &cap_m, n + 1, sizeof(*own));
		memset(&own[n], 0, sizeof(own[n]));
		starts[n] = ps->p;
		rc = parse_event(ps, ev, &own[n]);
		if (rc)
			goto out;
		ends[n] = ps->p;
		n++;
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == '}')
			break;
		rc = perr(ps, *ps->p ? "unexpected '%c' in group" : "missing '}'%c", *ps->p);
		goto out;
	}
	ps->p++; /* '}' */
	if (*ps->p == ':') {
		gms = ++ps->p;
		while (isalpha((unsigned char)*ps->p))
			ps->p++;
		gml = (size_t)(ps->p - gms);
		if (!gml) {
			rc = perr(ps, "empty modifier after group");
			goto out;
		}
		rc = parse_mods(ps, gms, gml, &gm);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct evsel *ev = &el->ev[first + i];
		struct mods m = own[i];
		m.u |= gm.u;
		m.k |= gm.k;
		m.h |= gm.h;
		if (gm.precise > m.precise)
			m.precise = gm.precise;
		m.pinned |= gm.pinned && i == 0;
		apply_mods(&ev->attr, &m);
		ev->leader = first;
		set_display_name(ev, starts[i], ends[i], gms, gml);
	}
	el->ev[first].group_size = n;
	if (gm.sample_read || own[0].sample_read)
		for (size_t i = 0; i < n; i++)
			el->ev[first + i].attr.sample_type |= PERF_SAMPLE_READ;
out:
	ps->in_group = false;
	free(starts);
	free(ends);
	free(own);
	return rc;
}

/* The other tracepoints a glob matched, each an event like the first. */
static int add_glob_matches(struct parser *ps, struct evlist *el, ptrdiff_t first)
{
	char **names = ps->more;
	const char *dir = tracefs_dir(ps->opts ? ps->opts->tracefs : NULL, ps->err, ps->errlen);
	int rc = dir ? 0 : -HWPROF_E_UNKNOWN_EVENT;

	if (!names)
		return 0;
	for (size_t i = 1; i <= ps->nmore; i++) {
		char *colon = strchr(names[i], ':');
		uint64_t id;
		struct evsel *ev;

		*colon = 0;
		if (!rc && tracefs_event_id(dir, names[i], colon + 1, &id, ps->err, ps->errlen) < 0)
			rc = -HWPROF_E_UNKNOWN_EVENT;
		*colon = ':';
		if (rc) {
			free(names[i]);
			continue;
		}
		ev = evlist_add(el);
		ev->attr = el->ev[first].attr;
		ev->attr.config = id;
		ev->tracepoint = names[i];
		ev->name = xstrdup(names[i]);
		ev->leader = el->nr - 1;
	}
	free(names);
	ps->more = NULL;
	ps->nmore = 0;
	return rc;
}

int evlist_parse(struct evlist *el, const char *spec, const struct evparse_opts *opts, char *err,
		 size_t errlen)
{
	struct parser ps = { .spec = spec, .p = spec, .opts = opts, .err = err, .errlen = errlen };
	size_t orig = el->nr;
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	if (!*spec) {
		rc = perr(&ps, "empty event list");
		goto out;
	}
	for (;;) {
		if (*ps.p == '{') {
			rc = parse_group(&ps, el);
		} else {
			const char *start = ps.p;
			struct mods m = { 0 };
			struct evsel *ev = evlist_add(el);
			rc = parse_event(&ps, ev, &m);
			if (rc == 0) {
				apply_mods(&ev->attr, &m);
				if (ev->tracepoint)
					ev->name = xstrdup(ev->tracepoint);
				else
					set_display_name(ev, start, ps.p, "", 0);
				if (m.sample_read)
					ev->attr.sample_type |= PERF_SAMPLE_READ;
				rc = add_glob_matches(&ps, el, ev - el->ev);
			}
		}
		if (rc)
			goto out;
		if (*ps.p == '\0')
			break;
		if (*ps.p != ',') {
			rc = perr(&ps, "unexpected '%c' at '%s' in '%s'", *ps.p, ps.p, spec);
			goto out;
		}
		ps.p++;
		if (*ps.p == '\0') {
			rc = perr(&ps, "trailing ',' in '%s'", spec);
			goto out;
		}
	}
out:
	if (ps.more) {	/* a glob's matches, left by an error after the first */
		for (size_t i = 1; i <= ps.nmore; i++)
			free(ps.more[i]);
		free(ps.more);
	}
	if (rc)
		evlist_truncate(el, orig);
	return rc;
}

/* Modifier suffix perf derives from an attr's exclusion and precision bits. */
static void attr_modifiers(const struct perf_event_attr *a, struct strbuf *sb)
{
	size_t start = sb->len;
	bool guest_default = false;

	if (a->exclude_kernel || a->exclude_user || a->exclude_hv) {
		if (!a->exclude_kernel)
			sb_puts(sb, "k");
		if (!a->exclude_user)
			sb_puts(sb, "u");
		if (!a->exclude_hv)
			sb_puts(sb, "h");
		guest_default = true;
	}
	if (a->precise_ip) {
		sb_add(sb, "ppp", a->precise_ip);
		guest_default = true;
	}
	/* Host/guest letters show only where they differ from what was implied. */
	if (a->exclude_host || a->exclude_guest == guest_default) {
		if (!a->exclude_host)
			sb_puts(sb, "H");
		if (!a->exclude_guest)
			sb_puts(sb, "G");
	}
	if (sb->len > start) {
		char *mods = xstrdup(sb->buf + start);
		sb->len = start;
		sb_printf(sb, ":%s", mods);
		free(mods);
	}
}

char *events_attr_name(const struct perf_event_attr *a)
{
	struct strbuf sb = { 0 };
	const char *n = events_name_of(a->type, a->config);

	if (a->type == PERF_TYPE_RAW) {
		sb_printf(&sb, "r%llx", (unsigned long long)a->config);
	} else if (n) {
		sb_puts(&sb, n);
	} else {
		sb_printf(&sb, "type%u/config=0x%llx/", a->type, (unsigned long long)a->config);
		return sb_detach(&sb);
	}
	attr_modifiers(a, &sb);
	return sb_detach(&sb);
}
