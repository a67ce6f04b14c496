/* Sample decoding by sample_type, and refusal of records that do not fit it. */
#include "unit.h"

#include "hwprof/sample.h"
#include "hwprof/util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define FULL_TYPE                                                                          \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |     \
	 PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN |  \
	 PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER)

static const struct sample_format full_fmt = {
	.sample_type = FULL_TYPE,
	.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID,
	.regs_user_mask = 0x7, /* three registers */
};

static void put64(struct strbuf *sb, uint64_t v)
{
	sb_add(sb, (const char *)&v, 8);
}

static void put32(struct strbuf *sb, uint32_t v)
{
	sb_add(sb, (const char *)&v, 4);
}

/* A sample as the kernel writes it for full_fmt. Caller frees. */
static uint8_t *make_sample(size_t *len, uint64_t stack_size, uint64_t dyn_size)
{
	struct strbuf sb = { 0 };
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = PERF_RECORD_MISC_USER };

	sb_add(&sb, (const char *)&h, sizeof(h));
	put64(&sb, 77);			/* identifier */
	put64(&sb, 0x401000);		/* ip */
	put32(&sb, 100);		/* pid */
	put32(&sb, 101);		/* tid */
	put64(&sb, 123456789);		/* time */
	put32(&sb, 1);			/* cpu */
	put32(&sb, 0);
	put64(&sb, 4000);		/* period */
	put64(&sb, 2);			/* read: nr */
	put64(&sb, 1000);		/* value, id */
	put64(&sb, 77);
	put64(&sb, 1500);
	put64(&sb, 78);
	put64(&sb, 3);			/* callchain */
	put64(&sb, PERF_CONTEXT_USER);
	put64(&sb, 0x401000);
	put64(&sb, 0x402000);
	put64(&sb, 2);			/* regs abi 64 */
	put64(&sb, 0xa);
	put64(&sb, 0xb);
	put64(&sb, 0xc);
	put64(&sb, stack_size);
	for (uint64_t i = 0; i < stack_size; i++)
		sb_add(&sb, (const char *)&(uint8_t){ (uint8_t)i }, 1);
	if (stack_size)
		put64(&sb, dyn_size);
	((struct perf_event_header *)sb.buf)->size = (uint16_t)sb.len;
	*len = sb.len;
	return (uint8_t *)sb_detach(&sb);
}

START_TEST(test_full)
{
	size_t len;
	uint8_t *rec = make_sample(&len, 64, 40);
	struct sample s;
	uint64_t v, id;

	ck_assert_int_eq(sample_parse(rec, len, &full_fmt, &s), 0);
	ck_assert_uint_eq(s.id, 77);
	ck_assert_uint_eq(s.ip, 0x401000);
	ck_assert_uint_eq(s.pid, 100);
	ck_assert_uint_eq(s.tid, 101);
	ck_assert_uint_eq(s.time, 123456789);
	ck_assert_uint_eq(s.cpu, 1);
	ck_assert_uint_eq(s.period, 4000);
	ck_assert_uint_eq(s.read_nr, 2);
	sample_read_value(&s, 1, &v, &id);
	ck_assert_uint_eq(v, 1500);
	ck_assert_uint_eq(id, 78);
	ck_assert_uint_eq(s.callchain_nr, 3);
	ck_assert_uint_eq(sample_callchain(&s, 2), 0x402000);
	ck_assert_uint_eq(s.regs_abi, 2);
	ck_assert_uint_eq(s.regs_nr, 3);
	ck_assert_uint_eq(sample_reg(&s, 2), 0xc);
	ck_assert_uint_eq(s.stack_size, 64);
	ck_assert_uint_eq(s.stack_dyn_size, 40);
	ck_assert_uint_eq(s.stack[63], 63);
	free(rec);
}
END_TEST

/* Every field the decoder knows, each with its own value: a field skipped,
 * read twice or read out of the kernel's order shifts all after it. */
START_TEST(test_every_field)
{
	const struct sample_format fmt = {
		.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			       PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |
			       PERF_SAMPLE_PERIOD | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW |
			       PERF_SAMPLE_BRANCH_STACK | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER |
			       PERF_SAMPLE_WEIGHT | PERF_SAMPLE_DATA_SRC | PERF_SAMPLE_TRANSACTION |
			       PERF_SAMPLE_REGS_INTR | PERF_SAMPLE_PHYS_ADDR,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID,
		.regs_user_mask = 0x3,
		.branch_hw_index = true,
	};
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE };
	struct strbuf sb = { 0 };
	struct sample s;
	uint64_t v, id;

	sb_add(&sb, (const char *)&h, sizeof(h));
	put64(&sb, 1);					/* identifier */
	put64(&sb, 2);					/* ip */
	put32(&sb, 3), put32(&sb, 4);			/* pid, tid */
	put64(&sb, 5);					/* time */
	put64(&sb, 6);					/* addr */
	put64(&sb, 7);					/* id */
	put64(&sb, 8);					/* stream id */
	put32(&sb, 9), put32(&sb, 0);			/* cpu, res */
	put64(&sb, 10);					/* period */
	put64(&sb, 11), put64(&sb, 12), put64(&sb, 13), put64(&sb, 14); /* value, enabled, running, id */
	put64(&sb, 1), put64(&sb, 15);			/* callchain */
	put32(&sb, 4), put32(&sb, 16);			/* raw: size, data */
	put64(&sb, 1), put64(&sb, 99);			/* branches: nr, hw_idx */
	put64(&sb, 17), put64(&sb, 18), put64(&sb, 19);	/* from, to, flags */
	put64(&sb, 2), put64(&sb, 20), put64(&sb, 21);	/* regs: abi, two */
	put64(&sb, 8), put64(&sb, 22), put64(&sb, 8);	/* stack: size, bytes, dyn size */
	put64(&sb, 23);					/* weight */
	put64(&sb, 24);					/* data_src */
	put64(&sb, 25);					/* transaction */
	put64(&sb, 0);					/* regs_intr: abi none */
	put64(&sb, 26);					/* phys_addr */
	((struct perf_event_header *)sb.buf)->size = (uint16_t)sb.len;

	ck_assert_int_eq(sample_parse(sb.buf, sb.len, &fmt, &s), 0);
	ck_assert_uint_eq(s.ip, 2);
	ck_assert_uint_eq(s.pid, 3);
	ck_assert_uint_eq(s.tid, 4);
	ck_assert_uint_eq(s.time, 5);
	ck_assert_uint_eq(s.addr, 6);
	ck_assert_uint_eq(s.stream_id, 8);
	ck_assert_uint_eq(s.cpu, 9);
	ck_assert_uint_eq(s.period, 10);
	ck_assert_uint_eq(s.read_nr, 1);
	sample_read_value(&s, 0, &v, &id);
	ck_assert_uint_eq(v, 11);
	ck_assert_uint_eq(id, 14);
	ck_assert_uint_eq(s.time_enabled, 12);
	ck_assert_uint_eq(s.time_running, 13);
	ck_assert_uint_eq(sample_callchain(&s, 0), 15);
	ck_assert_uint_eq(s.raw_size, 4);
	ck_assert_uint_eq(s.raw[0], 16);
	ck_assert_uint_eq(s.branch_nr, 1);
	memcpy(&v, s.branches + 8, 8);
	ck_assert_uint_eq(v, 18);
	ck_assert_uint_eq(sample_reg(&s, 1), 21);
	ck_assert_uint_eq(s.stack_size, 8);
	ck_assert_uint_eq(s.stack[0], 22);
	ck_assert_uint_eq(s.stack_dyn_size, 8);
	ck_assert_uint_eq(s.weight, 23);
	ck_assert_uint_eq(s.data_src, 24);
	ck_assert_uint_eq(s.transaction, 25);
	ck_assert_uint_eq(s.phys_addr, 26);
	/* IDENTIFIER and ID say the same; the one kept is the event's */
	ck_assert(s.id == 1 || s.id == 7);
	sb_release(&sb);
}
END_TEST

START_TEST(test_empty_stack)
{
	size_t len;
	uint8_t *rec = make_sample(&len, 0, 0);
	struct sample s;

	ck_assert_int_eq(sample_parse(rec, len, &full_fmt, &s), 0);
	ck_assert_uint_eq(s.stack_size, 0);
	ck_assert_ptr_nonnull(s.regs);
	free(rec);
}
END_TEST

START_TEST(test_every_truncation)
{
	size_t len;
	uint8_t *rec = make_sample(&len, 32, 32);
	struct sample s;

	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, rec, cut);
		ck_assert_msg(sample_parse(copy, cut, &full_fmt, &s) == -HWPROF_E_FORMAT,
			      "a record cut to %zu of %zu bytes was accepted", cut, len);
		free(copy);
	}
	free(rec);
}
END_TEST

START_TEST(test_lying_counts)
{
	size_t len;
	uint8_t *rec = make_sample(&len, 32, 16);
	struct sample s;
	/* callchain nr sits after header(8) + 4 x u64 + cpu(8) + period + read(5 x u64) */
	size_t nr_at = 8 + 8 * 4 + 8 + 8 + 8 * 5;
	uint64_t huge = UINT64_MAX / 4, dyn = 1000;

	memcpy(rec + nr_at, &huge, 8);
	ck_assert_int_eq(sample_parse(rec, len, &full_fmt, &s), -HWPROF_E_FORMAT);
	free(rec);
	rec = make_sample(&len, 32, 16);
	memcpy(rec + len - 8, &dyn, 8); /* dyn_size larger than the copy */
	ck_assert_int_eq(sample_parse(rec, len, &full_fmt, &s), -HWPROF_E_FORMAT);
	free(rec);
}
END_TEST

START_TEST(test_sample_id)
{
	struct strbuf sb = { 0 };
	struct perf_event_header h = { .type = PERF_RECORD_COMM };
	uint64_t t = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER;
	struct sample s;

	sb_add(&sb, (const char *)&h, sizeof(h));
	put64(&sb, 0xdead); /* body of the record */
	put32(&sb, 5);
	put32(&sb, 6);
	put64(&sb, 999);
	put32(&sb, 3);
	put32(&sb, 0);
	put64(&sb, 42);
	ck_assert_uint_eq(sample_id_size(t), 32);
	ck_assert_int_eq(sample_id_parse(sb.buf, sb.len, t, &s), 0);
	ck_assert_uint_eq(s.pid, 5);
	ck_assert_uint_eq(s.tid, 6);
	ck_assert_uint_eq(s.time, 999);
	ck_assert_uint_eq(s.cpu, 3);
	ck_assert_uint_eq(s.id, 42);
	ck_assert_int_eq(sample_id_parse(sb.buf, 20, t, &s), -HWPROF_E_FORMAT);
	sb_release(&sb);
}
END_TEST

static Suite *sample_suite(void)
{
	Suite *s = suite_create("sample");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_test(core, test_full);
	tcase_add_test(core, test_every_field);
	tcase_add_test(core, test_sample_id);
	tcase_add_test(limits, test_empty_stack);
	tcase_add_test(corrupt, test_every_truncation);
	tcase_add_test(corrupt, test_lying_counts);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	return unit_run(sample_suite());
}
