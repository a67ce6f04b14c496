/* Helpers every module leans on: CPU lists, string buffers, JSON strings, errors. */
#include "hwprof/util.h"

#include "unit.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *text;
	int nr;
	int first, last;
} cpu_lists[] = {
	{ "0", 1, 0, 0 },
	{ "0-3\n", 4, 0, 3 },
	{ "0-1,4,6-7", 5, 0, 7 },
	{ "8", 1, 8, 8 },
};

static const char *const bad_cpu_lists[] = { "", "\n", "a", "3-1", "0-", "0,,1", "-1", "0 1", "1-2x" };

START_TEST(test_cpu_list)
{
	int *cpus;
	int n = parse_cpu_list(cpu_lists[_i].text, &cpus);

	ck_assert_int_eq(n, cpu_lists[_i].nr);
	ck_assert_int_eq(cpus[0], cpu_lists[_i].first);
	ck_assert_int_eq(cpus[n - 1], cpu_lists[_i].last);
	free(cpus);
}
END_TEST

START_TEST(test_cpu_list_bad)
{
	int *cpus = (int *)1;

	ck_assert_int_eq(parse_cpu_list(bad_cpu_lists[_i], &cpus), -HWPROF_E_SYNTAX);
	ck_assert_ptr_null(cpus);
}
END_TEST

START_TEST(test_online_cpus)
{
	int *cpus;
	int n = online_cpus(&cpus);

	ck_assert_int_gt(n, 0);
	free(cpus);
}
END_TEST

START_TEST(test_strbuf)
{
	struct strbuf sb = { 0 };
	char *s;

	sb_puts(&sb, "abc");
	sb_printf(&sb, "-%d-", 42);
	sb_add(&sb, "xyz", 2);
	ck_assert_str_eq(sb.buf, "abc-42-xy");
	ck_assert_uint_eq(sb.len, 9);
	for (int i = 0; i < 1000; i++)
		sb_puts(&sb, "0123456789");
	ck_assert_uint_eq(sb.len, 10009);
	s = sb_detach(&sb);
	ck_assert_ptr_null(sb.buf);
	ck_assert_uint_eq(strlen(s), 10009);
	free(s);
	s = sb_detach(&sb);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_json_string)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_put_string(f, "a\"b\\c\nd\x01");
	fputc(' ', f);
	json_put_number(f, 0.0 / 0.0);
	fputc(' ', f);
	json_put_number(f, 1.5);
	fclose(f);
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\nd\\u0001\" null 1.5");
	free(buf);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(hwprof_strerror(-ENOENT), strerror(ENOENT));
	ck_assert_str_eq(hwprof_strerror(-HWPROF_E_NOPMU), "no hardware PMU in this kernel");
	ck_assert_str_eq(hwprof_strerror(-HWPROF_E_SYNTAX), "syntax error");
}
END_TEST

START_TEST(test_edit_distance)
{
	ck_assert_uint_eq(edit_distance("cycles", "cycles"), 0);
	ck_assert_uint_eq(edit_distance("cycels", "cycles"), 2);
	ck_assert_uint_eq(edit_distance("sixy", "sixty"), 1);
	ck_assert_uint_eq(edit_distance("", "abc"), 3);
	ck_assert_uint_eq(edit_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_read_small_file_missing)
{
	char *text = (char *)1;

	ck_assert_int_eq(read_small_file("/nonexistent/hwprof", &text), -ENOENT);
	ck_assert_ptr_null(text);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_loop_test(core, test_cpu_list, 0, ARRAY_SIZE(cpu_lists));
	tcase_add_test(core, test_online_cpus);
	tcase_add_test(core, test_strbuf);
	tcase_add_test(core, test_json_string);
	tcase_add_test(core, test_strerror);
	tcase_add_test(core, test_edit_distance);
	tcase_add_test(limits, test_read_small_file_missing);
	tcase_add_loop_test(corrupt, test_cpu_list_bad, 0, ARRAY_SIZE(bad_cpu_lists));
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	return unit_run(util_suite());
}
