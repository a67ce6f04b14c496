/* The perf.data writer's layout and the recorder's per-record work, read back byte by byte. */
#include "unit.h"

#include "hwprof/perfdata.h"
#include "hwprof/recorder.h"
#include "hwprof/sample.h"
#include "hwprof/util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static char path[] = "/tmp/check_perfdata.XXXXXX";
static int fd = -1;

static void setup(void)
{
	strcpy(path, "/tmp/check_perfdata.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
}

static void teardown(void)
{
	close(fd);
	unlink(path);
}

static uint8_t *slurp(size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *p = malloc((size_t)end);

	ck_assert_int_eq(pread(fd, p, (size_t)end, 0), end);
	*len = (size_t)end;
	return p;
}

static const uint64_t ids0[] = { 11, 12 }, ids1[] = { 21, 22 };

static void two_events(struct pd_event ev[2])
{
	memset(ev, 0, 2 * sizeof(*ev));
	ev[0].attr.type = PERF_TYPE_SOFTWARE;
	ev[0].attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP;
	ev[0].name = "cpu-clock";
	ev[0].ids = ids0;
	ev[0].nids = 2;
	ev[0].group_size = 2;
	ev[1] = ev[0];
	ev[1].name = "task-clock";
	ev[1].ids = ids1;
	ev[1].leader = 0;
	ev[1].group_size = 1;
}

START_TEST(test_layout)
{
	struct pd_writer w;
	struct pd_event ev[2];
	struct perf_event_header rec = { .type = PERF_RECORD_SAMPLE, .size = 8 };
	const char *argv[] = { "hwprof", "record" };
	struct pd_meta meta = { .hostname = "box", .arch = "x86_64", .cmdline = argv, .cmdline_nr = 2 };
	struct pd_header h;
	struct pd_section *table;
	uint8_t *file;
	size_t len, nfeat = 0;

	two_events(ev);
	ck_assert_int_eq(pdw_create(&w, fd, ev, 2), 0);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(pdw_write(&w, &rec, sizeof(rec)), 0);
	ck_assert_int_eq(pdw_finish(&w, &meta), 0);
	pdw_release(&w);

	file = slurp(&len);
	memcpy(&h, file, sizeof(h));
	ck_assert_uint_eq(h.magic, PD_MAGIC2);
	ck_assert_mem_eq(file, "PERFILE2", 8);
	ck_assert_uint_eq(h.size, 104);
	ck_assert_uint_eq(h.attr_size, 128 + 16);
	ck_assert_uint_eq(h.attrs.size, 2 * 144);
	ck_assert_uint_eq(h.data.size, 8000);
	ck_assert_uint_eq(h.data.offset, h.attrs.offset + h.attrs.size);
	/* attr size field is the fixed 128, and the ids section points at the ids. */
	{
		struct perf_event_attr a;
		struct pd_section ids;
		uint64_t id;
		memcpy(&a, file + h.attrs.offset + 144, 128);
		memcpy(&ids, file + h.attrs.offset + 144 + 128, 16);
		ck_assert_uint_eq(a.size, 128);
		ck_assert_uint_eq(ids.size, 16);
		memcpy(&id, file + ids.offset + 8, 8);
		ck_assert_uint_eq(id, 22);
	}
	/* Features: hostname, arch, cmdline, event desc, group desc, in bit order. */
	for (int bit = 0; bit < 256; bit++)
		nfeat += (h.features[bit / 64] >> (bit % 64)) & 1;
	ck_assert_uint_eq(nfeat, 5);
	ck_assert((h.features[0] >> PD_FEAT_HOSTNAME) & 1);
	ck_assert((h.features[0] >> PD_FEAT_GROUP_DESC) & 1);
	ck_assert(!((h.features[0] >> PD_FEAT_BUILD_ID) & 1));
	table = (struct pd_section *)(file + h.data.offset + h.data.size);
	ck_assert_uint_eq(table[0].offset, h.data.offset + h.data.size + 5 * 16);
	{
		uint32_t slen;
		memcpy(&slen, file + table[0].offset, 4);
		ck_assert_uint_eq(slen, 64); /* padded to 64 as perf does */
		ck_assert_str_eq((const char *)file + table[0].offset + 4, "box");
	}
	/* EVENT_DESC (the 4th present bit): nr 2, attr size 128, then the first name. */
	{
		uint32_t nr, asz, nids, slen;
		const uint8_t *p = file + table[3].offset;
		memcpy(&nr, p, 4);
		memcpy(&asz, p + 4, 4);
		memcpy(&nids, p + 8 + 128, 4);
		memcpy(&slen, p + 8 + 128 + 4, 4);
		ck_assert_uint_eq(nr, 2);
		ck_assert_uint_eq(asz, 128);
		ck_assert_uint_eq(nids, 2);
		ck_assert_str_eq((const char *)p + 8 + 128 + 8, "cpu-clock");
	}
	ck_assert_uint_eq(table[4].offset + table[4].size, len);
	free(file);
}
END_TEST

START_TEST(test_checkpoint)
{
	struct pd_writer w;
	struct pd_event ev[2];
	struct perf_event_header rec = { .type = PERF_RECORD_SAMPLE, .size = 8 };
	struct pd_header h;

	two_events(ev);
	ck_assert_int_eq(pdw_create(&w, fd, ev, 2), 0);
	ck_assert_int_eq(pdw_write(&w, &rec, 8), 0);
	ck_assert_int_eq(pdw_checkpoint(&w), 0);
	ck_assert_int_eq(pread(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	ck_assert_uint_eq(h.data.size, 8);
	ck_assert_uint_eq(h.features[0], 0);
	/* Records after the checkpoint are not claimed by the header until the next one. */
	ck_assert_int_eq(pdw_write(&w, &rec, 8), 0);
	ck_assert_int_eq(pread(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	ck_assert_uint_eq(h.data.size, 8);
	pdw_release(&w);
}
END_TEST

START_TEST(test_write_error_sticks)
{
	struct pd_writer w;
	struct pd_event ev[2];
	struct perf_event_header rec = { .type = PERF_RECORD_SAMPLE, .size = 8 };

	two_events(ev);
	ck_assert_int_eq(pdw_create(&w, fd, ev, 2), 0);
	close(fd);
	fd = open("/dev/null", O_RDONLY); /* writes now fail */
	ck_assert_int_eq(pdw_write(&w, &rec, 8), 0); /* buffered */
	ck_assert_int_lt(pdw_checkpoint(&w), 0);
	ck_assert_int_lt(pdw_write(&w, &rec, 8), 0);
	ck_assert_int_lt(pdw_finish(&w, &(struct pd_meta){ 0 }), 0);
	pdw_release(&w);
}
END_TEST

/* A DWARF sample whose 64-byte stack copy has 20 valid bytes comes out with 24. */
START_TEST(test_recorder_trims_stacks)
{
	static const uint64_t id[] = { 5 };
	struct pd_event ev = { .name = "cpu-clock", .ids = id, .nids = 1 };
	struct sample_format fmt;
	struct pd_writer w;
	struct recorder r;
	struct strbuf sb = { 0 };
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = PERF_RECORD_MISC_USER };
	uint64_t v;
	struct pd_header ph;
	uint8_t *file;
	size_t len;
	struct sample s;

	ev.attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_REGS_USER |
			      PERF_SAMPLE_STACK_USER;
	ev.attr.sample_regs_user = 1;
	sb_add(&sb, (const char *)&h, sizeof(h));
	v = 5;
	sb_add(&sb, (const char *)&v, 8);	/* identifier */
	v = 0x1000;
	sb_add(&sb, (const char *)&v, 8);	/* ip */
	v = 2;
	sb_add(&sb, (const char *)&v, 8);	/* abi */
	v = 0x7ff0;
	sb_add(&sb, (const char *)&v, 8);	/* one register */
	v = 64;
	sb_add(&sb, (const char *)&v, 8);	/* stack size */
	for (int i = 0; i < 64; i++)
		sb_add(&sb, (const char *)&(uint8_t){ (uint8_t)(i + 1) }, 1);
	v = 20;
	sb_add(&sb, (const char *)&v, 8);	/* dyn_size */
	((struct perf_event_header *)sb.buf)->size = (uint16_t)sb.len;

	ck_assert_int_eq(pdw_create(&w, fd, &ev, 1), 0);
	recorder_init(&r, &w, &ev, 1, true);
	ck_assert_int_eq(recorder_record(&r, (const struct perf_event_header *)sb.buf), 0);
	ck_assert_uint_eq(r.samples[0], 1);
	ck_assert_uint_eq(r.stack_bytes_dropped, 40);
	ck_assert_int_eq(pdw_checkpoint(&w), 0);
	recorder_release(&r);
	pdw_release(&w);

	file = slurp(&len);
	memcpy(&ph, file, sizeof(ph));
	ck_assert_uint_eq(ph.data.size, sb.len - 40);
	fmt = (struct sample_format){ .sample_type = ev.attr.sample_type, .regs_user_mask = 1 };
	ck_assert_int_eq(sample_parse(file + ph.data.offset, ph.data.size, &fmt, &s), 0);
	ck_assert_uint_eq(s.stack_size, 24);
	ck_assert_uint_eq(s.stack_dyn_size, 20);
	ck_assert_uint_eq(s.stack[19], 20);
	ck_assert_uint_eq(sample_reg(&s, 0), 0x7ff0);
	free(file);
	sb_release(&sb);
}
END_TEST

static Suite *perfdata_suite(void)
{
	Suite *s = suite_create("perfdata");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(core, test_layout);
	tcase_add_test(core, test_checkpoint);
	tcase_add_test(core, test_recorder_trims_stacks);
	tcase_add_test(limits, test_write_error_sticks);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return unit_run(perfdata_suite());
}
