/* pprof's profile.proto, written field by field (a handful of messages need
 * no protobuf library) and gzip-compressed with zlib, as pprof expects. */
#include "hwprof/export.h"
#include "hwprof/buildid.h"
#include "hwprof/index.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { WT_VARINT = 0, WT_LEN = 2 };

static void varint(struct strbuf *b, uint64_t v)
{
	char c[10];
	size_t n = 0;

	do {
		c[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	sb_add(b, c, n);
}

static void field_varint(struct strbuf *b, unsigned field, uint64_t v)
{
	varint(b, (uint64_t)field << 3 | WT_VARINT);
	varint(b, v);
}

static void field_bytes(struct strbuf *b, unsigned field, const void *p, size_t n)
{
	varint(b, (uint64_t)field << 3 | WT_LEN);
	varint(b, n);
	sb_add(b, p, n);
}

static void field_msg(struct strbuf *b, unsigned field, struct strbuf *msg)
{
	field_bytes(b, field, msg->buf ? msg->buf : "", msg->len);
	sb_reset(msg);
}

/* The string table: index 0 is "" by the format's rule. */
struct strtab {
	char **s;
	size_t n, cap;
	struct index index;
};

static bool str_eq(const void *ctx, uint32_t item, const void *key)
{
	return !strcmp(((const struct strtab *)ctx)->s[item], key);
}

static uint64_t str_hash(const void *ctx, uint32_t item)
{
	return hash_string(((const struct strtab *)ctx)->s[item]);
}

static size_t str_id(struct strtab *t, const char *s)
{
	uint64_t h = hash_string(s);
	long i = index_find(&t->index, h, str_eq, t, s);

	if (i >= 0)
		return (size_t)i;
	xgrow((void **)&t->s, &t->cap, t->n + 1, sizeof(*t->s));
	t->s[t->n] = xstrdup(s);
	index_insert(&t->index, h, (uint32_t)t->n, str_hash, t);
	return t->n++;
}

/* pprof's functions: a (name, file) pair each, numbered from 1. */
struct function {
	size_t name, file;
};

struct functab {
	struct function *f;
	size_t n, cap;
	struct index index;
};

static bool fn_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct function *a = &((const struct functab *)ctx)->f[item], *b = key;

	return a->name == b->name && a->file == b->file;
}

static uint64_t fn_hash_of(const struct function *f)
{
	return hash_mix(hash_u64(f->name), f->file);
}

static uint64_t fn_hash(const void *ctx, uint32_t item)
{
	return fn_hash_of(&((const struct functab *)ctx)->f[item]);
}

static size_t function_id(struct functab *t, size_t name, size_t file)
{
	struct function key = { name, file };
	uint64_t h = fn_hash_of(&key);
	long i = index_find(&t->index, h, fn_eq, t, &key);

	if (i >= 0)
		return (size_t)i + 1;
	xgrow((void **)&t->f, &t->cap, t->n + 1, sizeof(*t->f));
	t->f[t->n] = key;
	index_insert(&t->index, h, (uint32_t)t->n, fn_hash, t);
	return ++t->n;
}

/* NULL: an off-CPU weight, in nanoseconds. */
static const char *unit_of(const struct perf_event_attr *a)
{
	if (!a)
		return "nanoseconds";
	if (a->type == PERF_TYPE_SOFTWARE &&
	    (a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK))
		return "nanoseconds";
	return "count";
}

static struct dso *mapping_dso(const struct report_loc *l)
{
	return l->dso;
}

/* Writes BUF gzip-compressed to F. */
static int write_gzip(FILE *f, const struct strbuf *buf)
{
	unsigned char chunk[65536];
	z_stream z = { 0 };
	int zr;

	/* 15 window bits + 16: a gzip header and trailer, as pprof expects. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)buf->buf;
	z.avail_in = (uInt)buf->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = deflate(&z, Z_FINISH);
		if (zr == Z_STREAM_ERROR)
			break;
		if (fwrite(chunk, 1, sizeof(chunk) - z.avail_out, f) != sizeof(chunk) - z.avail_out)
			zr = Z_ERRNO;
	} while (zr == Z_OK || zr == Z_BUF_ERROR);
	deflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : -EIO;
}

/* pprof's values are int64: a sum beyond them (a crafted period) saturates. */
static uint64_t pprof_value(double v)
{
	if (!(v > -9.2e18))
		return (uint64_t)INT64_MIN;
	if (!(v < 9.2e18))
		return (uint64_t)INT64_MAX;
	return (uint64_t)(int64_t)v;
}

int export_pprof(FILE *f, const struct report *r, size_t event)
{
	struct strtab st = { 0 };
	struct strbuf out = { 0 }, msg = { 0 }, sub = { 0 };
	struct dso **maps = NULL;
	size_t nmaps = 0, maps_cap = 0;
	struct functab fns = { 0 };
	size_t nev = report_nevents(r);
	int rc;

	str_id(&st, "");
	/* sample_type: samples and period per event; EVENT's samples are the default. */
	for (size_t k = 0; k < nev; k++) {
		char *samples_name = k != event ? xasprintf("%s_samples", report_event_name(r, k))
						: xstrdup("samples");
		field_varint(&msg, 1, str_id(&st, samples_name));
		field_varint(&msg, 2, str_id(&st, "count"));
		field_msg(&out, 1, &msg);
		field_varint(&msg, 1, str_id(&st, report_event_name(r, k)));
		field_varint(&msg, 2, str_id(&st, unit_of(report_event_attr(r, k))));
		field_msg(&out, 1, &msg);
		free(samples_name);
	}
	/* samples: location ids leaf first, values per sample_type */
	for (size_t i = 0; i < r->nstacks; i++) {
		const struct report_stack *s = &r->stacks[i];
		for (size_t k = 0; k < s->n; k++)
			varint(&sub, (uint64_t)s->locs[k] + 1);
		field_msg(&msg, 1, &sub);
		for (size_t k = 0; k < nev; k++) {
			varint(&sub, s->samples[k]);
			varint(&sub, pprof_value(s->period[k]));
		}
		field_msg(&msg, 2, &sub);
		field_msg(&out, 2, &msg);
	}
	/* mappings: one per file, at made-up disjoint ranges since locations use file addresses */
	for (size_t i = 0; i < r->nlocs; i++) {
		struct dso *d = mapping_dso(&r->locs[i]);
		bool seen = false;
		for (size_t k = 0; k < nmaps && !seen; k++)
			seen = maps[k] == d;
		if (!seen) {
			xgrow((void **)&maps, &maps_cap, nmaps + 1, sizeof(*maps));
			maps[nmaps++] = d;
		}
	}
	/* pprof takes the first mapping for the main binary: the user file with
	 * the most samples at the top of its stacks, the kernel last. */
	{
		uint64_t *hits = xcalloc(nmaps, sizeof(*hits));
		for (size_t i = 0; i < r->nstacks; i++) {
			const struct report_stack *s = &r->stacks[i];
			if (!s->n)
				continue;
			for (size_t m = 0; m < nmaps; m++)
				if (maps[m] == r->locs[s->locs[0]].dso)
					hits[m] += s->samples[event];
		}
		for (size_t a = 0; a < nmaps; a++) {
			for (size_t b = a + 1; b < nmaps; b++) {
				bool ka = maps[a] && dso_is_kernel(maps[a]), kb = maps[b] && dso_is_kernel(maps[b]);
				if ((ka && !kb) || (ka == kb && hits[b] > hits[a])) {
					struct dso *t = maps[a];
					uint64_t h = hits[a];
					maps[a] = maps[b];
					maps[b] = t;
					hits[a] = hits[b];
					hits[b] = h;
				}
			}
		}
		free(hits);
	}
	for (size_t m = 0; m < nmaps; m++) {
		const uint8_t *id;
		size_t idlen = maps[m] ? dso_recorded_build_id(maps[m], &id) : 0;
		char hex[2 * BUILD_ID_MAX + 1] = "";

		if (idlen)
			buildid_hex(id, idlen, hex);
		field_varint(&msg, 1, m + 1);
		field_varint(&msg, 2, (uint64_t)(m + 1) << 44);
		field_varint(&msg, 3, ((uint64_t)(m + 2) << 44) - 1);
		field_varint(&msg, 5, str_id(&st, maps[m] ? dso_name(maps[m]) : "[unknown]"));
		field_varint(&msg, 6, str_id(&st, hex));
		field_varint(&msg, 7, 1);
		field_varint(&msg, 8, 1);
		field_varint(&msg, 9, 1);
		field_varint(&msg, 10, 1);
		field_msg(&out, 3, &msg);
	}
	/* locations, each with its lines as pprof models inlining: the innermost
	 * inlined function first, each at its line, then each function it is
	 * inlined into, at the call site, the one holding them all last */
	for (size_t i = 0; i < r->nlocs; i++) {
		const struct report_loc *l = &r->locs[i];
		size_t m = 0;

		while (maps[m] != l->dso)
			m++;
		field_varint(&msg, 1, i + 1);
		field_varint(&msg, 2, m + 1);
		field_varint(&msg, 3, ((uint64_t)(m + 1) << 44) + (l->vaddr & ((1ull << 44) - 1)));
		for (size_t k = 0; k < l->nlines; k++) {
			size_t file = str_id(&st, l->lines[k].file);
			field_varint(&sub, 1, function_id(&fns, str_id(&st, l->lines[k].func), file));
			field_varint(&sub, 2, (uint64_t)l->lines[k].line);
			field_msg(&msg, 4, &sub);
		}
		field_msg(&out, 4, &msg);
	}
	for (size_t k = 0; k < fns.n; k++) {
		field_varint(&msg, 1, k + 1);
		field_varint(&msg, 2, fns.f[k].name);
		field_varint(&msg, 3, fns.f[k].name);
		field_varint(&msg, 4, fns.f[k].file);
		field_msg(&out, 5, &msg);
	}
	for (size_t i = 0; i < st.n; i++)
		field_bytes(&out, 6, st.s[i], strlen(st.s[i]));
	field_varint(&out, 14, str_id(&st, "samples"));

	rc = write_gzip(f, &out);
	for (size_t i = 0; i < st.n; i++)
		free(st.s[i]);
	free(st.s);
	index_release(&st.index);
	free(maps);
	free(fns.f);
	index_release(&fns.index);
	sb_release(&out);
	sb_release(&msg);
	sb_release(&sub);
	return rc;
}
