/* Formatting of stat results: the table, the CSV columns and the JSON document. */
#include "hwprof/stat-output.h"
#include "hwprof/util.h"

#include "unit.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct perf_event_attr attrs[] = {
	{ .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_TASK_CLOCK },
	{ .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_CPU_CYCLES },
	{ .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_INSTRUCTIONS },
	{ .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_CACHE_MISSES },
	{ .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_PAGE_FAULTS },
};

static struct stat_row rows[5];
static struct stat_result result;
static const char *const notes[] = { "a \"quoted\" note" };

static void setup(void)
{
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct stat_row){ "task-clock", &attrs[0], STAT_COUNTED, 500e6, 0, 500000000, 100, NULL };
	rows[1] = (struct stat_row){ "cycles", &attrs[1], STAT_COUNTED, 1e9, 0, 250000000, 50, NULL };
	rows[2] = (struct stat_row){ "instructions", &attrs[2], STAT_COUNTED, 2.5e9, 0, 250000000, 50, NULL };
	rows[3] = (struct stat_row){ "cache-misses", &attrs[3], STAT_NOT_SUPPORTED, 0, 0, 0, 0, NULL };
	rows[4] = (struct stat_row){ "page-faults", &attrs[4], STAT_COUNTED, 1234, 0, 500000000, 100, NULL };
	result = (struct stat_result){
		.target = "'./app'",
		.rows = rows,
		.nr = 5,
		.runs = 1,
		.wall_s = 1.0,
		.have_rusage = true,
		.user_s = 0.4,
		.sys_s = 0.1,
		.have_exit_status = true,
		.exit_status = 3,
		.notes = notes,
		.nnotes = 1,
	};
}

static char *render(void (*fn)(FILE *, const struct stat_result *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fn(f, &result);
	fclose(f);
	return buf;
}

static void csv_comma(FILE *f, const struct stat_result *r)
{
	stat_print_csv(f, r, ",");
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

START_TEST(test_table)
{
	char *out = render(stat_print_table);

	ck_assert_ptr_nonnull(strstr(out, "Performance counter stats for './app':"));
	ck_assert_ptr_nonnull(strstr(out, "500.00 msec task-clock"));
	ck_assert_ptr_nonnull(strstr(out, "0.500 CPUs utilized"));
	ck_assert_ptr_nonnull(strstr(out, "2.500 insn per cycle"));
	ck_assert_ptr_nonnull(strstr(out, "<not supported>      cache-misses"));
	ck_assert_ptr_nonnull(strstr(out, "(50.00%)"));      /* multiplexed */
	ck_assert_ptr_nonnull(strstr(out, "2.468 K/sec"));   /* 1234 faults / 0.5 s */
	ck_assert_ptr_nonnull(strstr(out, "1.000000000 seconds time elapsed"));
	ck_assert_ptr_nonnull(strstr(out, "0.400000000 seconds user"));
	ck_assert_ptr_null(strstr(out, "+-"));
	free(out);
}
END_TEST

START_TEST(test_table_repeats)
{
	char *out;

	result.runs = 5;
	rows[0].stddev_pct = 1.25;
	result.wall_stddev_pct = 0.5;
	out = render(stat_print_table);
	ck_assert_ptr_nonnull(strstr(out, "for './app' (5 runs):"));
	ck_assert_ptr_nonnull(strstr(out, "( +-  1.25% )"));
	ck_assert_ptr_nonnull(strstr(out, "seconds time elapsed  ( +-  0.50% )"));
	free(out);
}
END_TEST

START_TEST(test_csv)
{
	char *out = render(csv_comma);
	char *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++)
		ck_assert_msg(count_char(line, ',') == 9, "line '%s' has not 10 fields", line);
	ck_assert_int_eq(n, 5);
	free(out);
	out = render(csv_comma);
	ck_assert_ptr_nonnull(strstr(out, "500.00,msec,task-clock,,500000000,100.00,0.500,CPUs utilized,,\n"));
	ck_assert_ptr_nonnull(strstr(out, "2500000000,,instructions,,250000000,50.00,2.500,insn per cycle,,\n"));
	ck_assert_ptr_nonnull(strstr(out, "<not supported>,,cache-misses,,0,0.00,,,,\n"));
	free(out);
}
END_TEST

START_TEST(test_csv_separator)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	stat_print_csv(f, &result, ";;");
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "1234;;;;page-faults;;"));
	free(buf);
}
END_TEST

START_TEST(test_json)
{
	char *out = render(stat_print_json);

	ck_assert_ptr_nonnull(strstr(out, "\"target\": \"'./app'\""));
	ck_assert_ptr_nonnull(strstr(out, "\"exit_status\": 3"));
	ck_assert_ptr_nonnull(strstr(out, "{\"event\": \"cache-misses\", \"status\": \"not supported\", \"value\": null"));
	ck_assert_ptr_nonnull(strstr(out, "\"unit\": \"insn per cycle\""));
	ck_assert_ptr_nonnull(strstr(out, "\"notes\": [\"a \\\"quoted\\\" note\"]"));
	ck_assert_uint_eq(count_char(out, '{'), count_char(out, '}'));
	ck_assert_uint_eq(count_char(out, '['), count_char(out, ']'));
	free(out);
}
END_TEST

START_TEST(test_json_no_rusage)
{
	char *out;

	result.have_rusage = false;
	result.have_exit_status = false;
	out = render(stat_print_json);
	ck_assert_ptr_nonnull(strstr(out, "\"user_s\": null"));
	ck_assert_ptr_nonnull(strstr(out, "\"exit_status\": null"));
	free(out);
}
END_TEST

static Suite *statout_suite(void)
{
	Suite *s = suite_create("statout");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");

	tcase_add_checked_fixture(core, setup, NULL);
	tcase_add_checked_fixture(limits, setup, NULL);
	tcase_add_test(core, test_table);
	tcase_add_test(core, test_table_repeats);
	tcase_add_test(core, test_csv);
	tcase_add_test(core, test_csv_separator);
	tcase_add_test(core, test_json);
	tcase_add_test(limits, test_json_no_rusage);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return unit_run(statout_suite());
}
