/* The exporters, decoded: a recording of known stacks through functions of
 * this program (written with the perf.data writer) is loaded by the report
 * stage, exported as folded stacks, pprof and SVG into memory, and read back:
 * the stacks, counts, function names and source lines must be the ones
 * written. */
#include "unit.h"

#include "hwprof/export.h"
#include "hwprof/perfdata.h"
#include "hwprof/report.h"

#include "../common/selfmap.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PID 4242
#define ID 77

static volatile int sink;

int fn_a(int), fn_b(int), fn_c(int);
__attribute__((noipa)) int fn_c(int x) { sink = x; return sink * 3 + 1; }
__attribute__((noipa)) int fn_b(int x) { int r = fn_c(x); sink = r; return sink + r * 5; }
__attribute__((noipa)) int fn_a(int x) { int r = fn_b(x); sink = r; return sink + r * 7; }

static char path[] = "/tmp/hwprof-check-exports-XXXXXX";
static struct report rep;

static void put64(struct strbuf *sb, uint64_t v) { sb_add(sb, (const char *)&v, 8); }

/* TID, TIME and IDENTIFIER: the sample_id trailer of sample_id_all. */
static void trailer(struct strbuf *sb, uint64_t time)
{
	uint32_t pid = PID;

	sb_add(sb, (const char *)&pid, 4);
	sb_add(sb, (const char *)&pid, 4);
	put64(sb, time);
	put64(sb, ID);
	((struct perf_event_header *)sb->buf)->size = (uint16_t)sb->len;
}

static void sample(struct pd_writer *w, const uint64_t *chain, size_t n, uint64_t time)
{
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = PERF_RECORD_MISC_USER };
	struct strbuf sb = { 0 };
	uint32_t pid = PID;

	sb_add(&sb, (const char *)&h, sizeof(h));
	put64(&sb, ID);
	put64(&sb, chain[0]);
	sb_add(&sb, (const char *)&pid, 4);
	sb_add(&sb, (const char *)&pid, 4);
	put64(&sb, time);
	put64(&sb, 250000);
	put64(&sb, n + 1);
	put64(&sb, PERF_CONTEXT_USER);
	for (size_t i = 0; i < n; i++)
		put64(&sb, chain[i]);
	((struct perf_event_header *)sb.buf)->size = (uint16_t)sb.len;
	ck_assert_int_eq(pdw_write(w, sb.buf, sb.len), 0);
	sb_release(&sb);
}

/* 30 samples in fn_c <- fn_b <- fn_a, 10 in fn_b <- fn_a. */
static void setup(void)
{
	static const uint64_t ids[] = { ID };
	struct pd_event ev = { .name = "cpu-clock", .ids = ids, .nids = 1, .group_size = 1 };
	struct pd_meta meta = { .hostname = "test", .arch = "x86_64" };
	struct report_opts ro = { .input = path, .keys = { HK_COMM, HK_DSO, HK_SYM }, .nkeys = 3, .pid = -1,
				  .collect_stacks = true, .loc_lines = true, .no_kallsyms = true };
	uint64_t a = (uint64_t)(uintptr_t)fn_a, b = (uint64_t)(uintptr_t)fn_b, c = (uint64_t)(uintptr_t)fn_c;
	/* callers are return addresses: one past a call inside each function */
	uint64_t deep[] = { c + 1, b + 6, a + 6 }, shallow[] = { b + 1, a + 6 };
	struct perf_event_header comm = { .type = PERF_RECORD_COMM };
	struct strbuf sb = { 0 };
	struct selfmap m;
	struct pd_writer w;
	uint64_t time = 1000;
	uint32_t pid = PID;
	char err[256];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(selfmap_read(&m), 0);
	ev.attr.type = PERF_TYPE_SOFTWARE;
	ev.attr.config = PERF_COUNT_SW_CPU_CLOCK;
	ev.attr.size = sizeof(ev.attr);
	ev.attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			      PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN;
	ev.attr.sample_id_all = ev.attr.mmap = ev.attr.comm = 1;
	ck_assert_int_eq(pdw_create(&w, fd, &ev, 1), 0);
	sb_add(&sb, (const char *)&comm, sizeof(comm));
	sb_add(&sb, (const char *)&pid, 4);
	sb_add(&sb, (const char *)&pid, 4);
	sb_add(&sb, "exptest\0", 8);
	trailer(&sb, time++);
	ck_assert_int_eq(pdw_write(&w, sb.buf, sb.len), 0);
	for (size_t i = 0; i < m.n; i++) {
		selfmap_record(&m, i, PID, &sb);
		trailer(&sb, time++);
		ck_assert_int_eq(pdw_write(&w, sb.buf, sb.len), 0);
	}
	for (int i = 0; i < 30; i++)
		sample(&w, deep, 3, time++);
	for (int i = 0; i < 10; i++)
		sample(&w, shallow, 2, time++);
	ck_assert_int_eq(pdw_finish(&w, &meta), 0);
	pdw_release(&w);
	close(fd);
	sb_release(&sb);
	ck_assert_msg(report_load(&rep, &ro, err, sizeof(err)) == 0, "%s", err);
}

static void teardown(void)
{
	report_release(&rep);
	unlink(path);
}

/* What an exporter writes, in memory. */
static char *run(int (*fn)(FILE *, const struct report *, size_t), size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	ck_assert_int_eq(fn(f, &rep, 0), 0);
	fclose(f);
	return buf;
}

START_TEST(test_folded)
{
	size_t len;
	char *text = run(export_folded, &len);

	ck_assert_str_eq(text, "exptest;fn_a;fn_b 10\nexptest;fn_a;fn_b;fn_c 30\n");
	free(text);
}
END_TEST

/* profile.proto, just what the test reads: varints and length-delimited fields. */
struct pb {
	const uint8_t *p, *end;
};

static uint64_t pb_varint(struct pb *b)
{
	uint64_t v = 0;

	for (int shift = 0; b->p < b->end && shift < 64; shift += 7) {
		uint8_t c = *b->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	ck_abort_msg("truncated varint");
	return 0;
}

/* The next field: its number, wire type, and a varint value or a sub-buffer. */
static bool pb_field(struct pb *b, unsigned *field, unsigned *wire, uint64_t *v, struct pb *sub)
{
	uint64_t key;

	if (b->p >= b->end)
		return false;
	key = pb_varint(b);
	*field = (unsigned)(key >> 3);
	*wire = (unsigned)(key & 7);
	if (*wire == 0) {
		*v = pb_varint(b);
	} else if (*wire == 2) {
		uint64_t n = pb_varint(b);
		ck_assert_uint_le(n, (uint64_t)(b->end - b->p));
		sub->p = b->p;
		sub->end = b->p + n;
		b->p += n;
	} else {
		ck_abort_msg("unexpected wire type %u", *wire);
	}
	return true;
}

/* Repeated varints, packed (wire 2) or one by one (wire 0). */
static size_t pb_ints(unsigned wire, uint64_t v, struct pb *sub, uint64_t *out, size_t max)
{
	size_t n = 0;

	if (wire == 0) {
		out[0] = v;
		return 1;
	}
	while (sub->p < sub->end && n < max)
		out[n++] = pb_varint(sub);
	return n;
}

START_TEST(test_pprof)
{
	size_t len, nstr = 0, nsamples = 0;
	char *gz = run(export_pprof, &len);
	static uint8_t raw[1 << 20];
	const char *strs[256];
	uint64_t fn_name[64] = { 0 }, loc_fn[64] = { 0 }, loc_line[64] = { 0 }, total = 0;
	uint64_t stacks[8][8], nlocs[8], counts[8];
	z_stream z = { 0 };
	struct pb b, sub, s2, s3;
	unsigned field, wire;
	uint64_t v;

	/* gzip, as the format wants */
	ck_assert_int_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (uint8_t *)gz;
	z.avail_in = (uInt)len;
	z.next_out = raw;
	z.avail_out = sizeof(raw);
	ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	b.p = raw;
	b.end = raw + z.total_out;
	inflateEnd(&z);
	while (pb_field(&b, &field, &wire, &v, &sub)) {
		if (field == 6) {
			char *s = strndup((const char *)sub.p, (size_t)(sub.end - sub.p));
			ck_assert_uint_lt(nstr, 256);
			strs[nstr++] = s;
		} else if (field == 2) {
			uint64_t vals[16];
			ck_assert_uint_lt(nsamples, 8);
			while (pb_field(&sub, &field, &wire, &v, &s2)) {
				if (field == 1)
					nlocs[nsamples] = pb_ints(wire, v, &s2, stacks[nsamples], 8);
				else if (field == 2 && pb_ints(wire, v, &s2, vals, 16) >= 2)
					counts[nsamples] = vals[0];
			}
			total += counts[nsamples++];
		} else if (field == 4) {
			uint64_t id = 0, fid = 0, line = 0;
			while (pb_field(&sub, &field, &wire, &v, &s2)) {
				if (field == 1)
					id = v;
				if (field == 4) /* the last line is the outermost function */
					while (pb_field(&s2, &field, &wire, &v, &s3))
						field == 1 ? (fid = v) : field == 2 ? (line = v) : 0;
			}
			ck_assert_uint_lt(id, 64);
			loc_fn[id] = fid;
			loc_line[id] = line;
		} else if (field == 5) {
			uint64_t id = 0, name = 0;
			while (pb_field(&sub, &field, &wire, &v, &s2))
				field == 1 ? (id = v) : field == 2 ? (name = v) : 0;
			ck_assert_uint_lt(id, 64);
			fn_name[id] = name;
		}
	}
	ck_assert_uint_eq(total, 40);
	ck_assert_uint_eq(nsamples, 2);
	for (size_t i = 0; i < nsamples; i++) {
		const char *want[] = { "fn_c", "fn_b", "fn_a" };
		size_t first = counts[i] == 30 ? 0 : 1;
		ck_assert(counts[i] == 30 || counts[i] == 10);
		ck_assert_uint_eq(nlocs[i], 3 - first);
		for (size_t k = 0; k < nlocs[i]; k++) {
			uint64_t loc = stacks[i][k];
			ck_assert_uint_lt(fn_name[loc_fn[loc]], nstr);
			ck_assert_str_eq(strs[fn_name[loc_fn[loc]]], want[first + k]);
			ck_assert_uint_gt(loc_line[loc], 0);	/* lines from the report stage */
		}
	}
	for (size_t i = 0; i < nstr; i++)
		free((char *)strs[i]);
	free(gz);
}
END_TEST

static int svg(FILE *f, const struct report *r, size_t ev)
{
	return export_svg(f, r, ev, "cpu-clock", -1);
}

START_TEST(test_svg)
{
	size_t len;
	char *doc = run(svg, &len);

	ck_assert(!strncmp(doc, "<?xml", 5));
	ck_assert(len > 7 && !strcmp(doc + len - 7, "</svg>\n"));
	ck_assert_ptr_nonnull(strstr(doc, "(40 samples)"));
	ck_assert_ptr_nonnull(strstr(doc, "<title>fn_c ("));
	ck_assert_ptr_nonnull(strstr(doc, ", 30 samples, 75.00%)"));
	ck_assert_ptr_nonnull(strstr(doc, "<title>fn_a ("));
	ck_assert_ptr_nonnull(strstr(doc, ", 40 samples, 100.00%)"));
	free(doc);
}
END_TEST

static Suite *exports_suite(void)
{
	Suite *s = suite_create("exports");
	TCase *core = tcase_create("Core");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_test(core, test_folded);
	tcase_add_test(core, test_pprof);
	tcase_add_test(core, test_svg);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(exports_suite());
}
