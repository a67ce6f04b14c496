/* The bounds-checked cursor: exact reads, refusal past the end, stickiness. */
#include "unit.h"

#include "hwprof/buf.h"

#include <check.h>
#include <string.h>

START_TEST(test_reads)
{
	const uint8_t data[] = { 1, 2, 0, 3, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 0, 'h', 'i', 0 };
	struct buf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	const char *s;

	buf_init(&b, data, sizeof(data));
	ck_assert_int_eq(buf_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 1);
	ck_assert_int_eq(buf_u16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 2);
	ck_assert_int_eq(buf_u32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x04000000u | 3u);
	ck_assert_int_eq(buf_u64(&b, &u64), 0);
	ck_assert_uint_eq(u64, 5);
	ck_assert_int_eq(buf_str(&b, 3, &s), 0);
	ck_assert_str_eq(s, "hi");
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert(!b.bad);
}
END_TEST

START_TEST(test_past_end)
{
	const uint8_t data[6] = { 0 };
	struct buf b;
	uint64_t v = 99;
	uint16_t w;

	buf_init(&b, data, sizeof(data));
	ck_assert_int_eq(buf_u64(&b, &v), -1);
	ck_assert_uint_eq(v, 0);
	ck_assert(b.bad);
	/* Sticky: even a read that would fit fails now. */
	ck_assert_int_eq(buf_u16(&b, &w), -1);
	ck_assert_uint_eq(buf_left(&b), 0);
}
END_TEST

START_TEST(test_huge_lengths)
{
	const uint8_t data[16] = { 0 };
	struct buf b;
	const uint8_t *p;

	buf_init(&b, data, sizeof(data));
	ck_assert_int_eq(buf_skip(&b, 8), 0);
	/* A length that would wrap a pointer sum is refused, not wrapped. */
	ck_assert_int_eq(buf_ptr(&b, SIZE_MAX - 4, &p), -1);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_unterminated_string)
{
	const char data[4] = { 'a', 'b', 'c', 'd' };
	struct buf b;
	const char *s;

	buf_init(&b, data, sizeof(data));
	ck_assert_int_eq(buf_str(&b, 4, &s), -1);
	ck_assert(b.bad);
	buf_init(&b, data, sizeof(data));
	ck_assert_int_eq(buf_str(&b, 0, &s), -1);
}
END_TEST

static Suite *buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_test(core, test_reads);
	tcase_add_test(limits, test_past_end);
	tcase_add_test(limits, test_huge_lengths);
	tcase_add_test(corrupt, test_unterminated_string);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	return unit_run(buf_suite());
}
