/* Derived-metric arithmetic shared by stat and report. */
#include "hwprof/metrics.h"
#include "hwprof/util.h"

#include "unit.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct perf_event_attr hw(__u64 config)
{
	return (struct perf_event_attr){ .type = PERF_TYPE_HARDWARE, .config = config };
}

static struct perf_event_attr sw(__u64 config)
{
	return (struct perf_event_attr){ .type = PERF_TYPE_SOFTWARE, .config = config };
}

START_TEST(test_basic_ratios)
{
	ck_assert_double_eq_tol(metric_ipc(3e9, 2e9), 1.5, 1e-12);
	ck_assert_double_eq_tol(metric_mpki(5e6, 1e9), 5.0, 1e-12);
	ck_assert_double_eq_tol(metric_pct(25, 200), 12.5, 1e-12);
}
END_TEST

START_TEST(test_undefined_ratios)
{
	ck_assert(isnan(metric_ipc(1, 0)));
	ck_assert(isnan(metric_mpki(1, 0)));
	ck_assert(isnan(metric_pct(1, NAN)));
	ck_assert(isnan(metric_ipc(NAN, 1)));
}
END_TEST

START_TEST(test_rows_hardware)
{
	struct perf_event_attr a[] = {
		sw(PERF_COUNT_SW_TASK_CLOCK), hw(PERF_COUNT_HW_CPU_CYCLES),
		hw(PERF_COUNT_HW_INSTRUCTIONS), hw(PERF_COUNT_HW_CACHE_REFERENCES),
		hw(PERF_COUNT_HW_CACHE_MISSES), hw(PERF_COUNT_HW_BRANCH_INSTRUCTIONS),
		hw(PERF_COUNT_HW_BRANCH_MISSES), sw(PERF_COUNT_SW_PAGE_FAULTS),
	};
	double v[] = { 2e9, 6e9, 9e9, 1e8, 2.5e7, 1e9, 1e7, 4000 };
	struct metric_input in[ARRAY_SIZE(a)];
	struct metric m[METRICS_PER_ROW_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(a); i++)
		in[i] = (struct metric_input){ .attr = &a[i], .value = v[i], .counted = true };

	ck_assert_uint_eq(metrics_for_row(in, 8, 0, 4e9, m), 1);
	ck_assert_str_eq(m[0].unit, "CPUs utilized");
	ck_assert_double_eq_tol(m[0].value, 0.5, 1e-12);

	ck_assert_uint_eq(metrics_for_row(in, 8, 1, 4e9, m), 1);
	ck_assert_str_eq(m[0].unit, "GHz");
	ck_assert_double_eq_tol(m[0].value, 3.0, 1e-12);

	ck_assert_uint_eq(metrics_for_row(in, 8, 2, 4e9, m), 1);
	ck_assert_str_eq(m[0].unit, "insn per cycle");
	ck_assert_double_eq_tol(m[0].value, 1.5, 1e-12);

	ck_assert_uint_eq(metrics_for_row(in, 8, 4, 4e9, m), 2);
	ck_assert_str_eq(m[0].unit, "% of all cache refs");
	ck_assert_double_eq_tol(m[0].value, 25.0, 1e-12);
	ck_assert_str_eq(m[1].unit, "MPKI");
	ck_assert_double_eq_tol(m[1].value, 2.5e7 * 1000 / 9e9, 1e-9);

	ck_assert_uint_eq(metrics_for_row(in, 8, 6, 4e9, m), 2);
	ck_assert_str_eq(m[0].unit, "% of all branches");
	ck_assert_double_eq_tol(m[0].value, 1.0, 1e-12);

	ck_assert_uint_eq(metrics_for_row(in, 8, 7, 4e9, m), 1);
	ck_assert_str_eq(m[0].unit, "/sec");
	ck_assert_double_eq_tol(m[0].value, 2000.0, 1e-9);
}
END_TEST

START_TEST(test_rows_partner_missing)
{
	struct perf_event_attr a[] = { hw(PERF_COUNT_HW_INSTRUCTIONS), hw(PERF_COUNT_HW_CPU_CYCLES) };
	struct metric_input in[2] = {
		{ .attr = &a[0], .value = 100, .counted = true },
		{ .attr = &a[1], .value = 0, .counted = false },
	};
	struct metric m[METRICS_PER_ROW_MAX];

	/* cycles not counted: no IPC rather than a wrong one. */
	ck_assert_uint_eq(metrics_for_row(in, 2, 0, 1e9, m), 0);
	ck_assert_uint_eq(metrics_for_row(in, 2, 1, 1e9, m), 0);
}
END_TEST

START_TEST(test_rows_privilege_must_match)
{
	struct perf_event_attr a[] = { hw(PERF_COUNT_HW_INSTRUCTIONS), hw(PERF_COUNT_HW_CPU_CYCLES) };
	struct metric_input in[2] = {
		{ .attr = &a[0], .value = 100, .counted = true },
		{ .attr = &a[1], .value = 50, .counted = true },
	};
	struct metric m[METRICS_PER_ROW_MAX];

	a[1].exclude_kernel = 1; /* cycles:u against all instructions is no IPC */
	ck_assert_uint_eq(metrics_for_row(in, 2, 0, 1e9, m), 0);
	a[0].exclude_kernel = 1;
	ck_assert_uint_eq(metrics_for_row(in, 2, 0, 1e9, m), 1);
	ck_assert_double_eq_tol(m[0].value, 2.0, 1e-12);
}
END_TEST

START_TEST(test_rows_cache_generic)
{
	struct perf_event_attr a[] = {
		{ .type = PERF_TYPE_HW_CACHE, .config = PERF_COUNT_HW_CACHE_L1D },
		{ .type = PERF_TYPE_HW_CACHE, .config = PERF_COUNT_HW_CACHE_L1D | (1 << 16) },
	};
	struct metric_input in[2] = {
		{ .attr = &a[0], .value = 1000, .counted = true },
		{ .attr = &a[1], .value = 50, .counted = true },
	};
	struct metric m[METRICS_PER_ROW_MAX];

	ck_assert_uint_eq(metrics_for_row(in, 2, 1, 1e9, m), 1);
	ck_assert_str_eq(m[0].unit, "% of all L1-dcache-loads");
	ck_assert_double_eq_tol(m[0].value, 5.0, 1e-12);
}
END_TEST

START_TEST(test_runstat)
{
	struct runstat r = { 0 };
	double xs[] = { 10, 12, 14 };

	ck_assert_double_eq(runstat_rel_stderr_pct(&r), 0);
	runstat_add(&r, 10);
	ck_assert_double_eq(runstat_rel_stderr_pct(&r), 0);
	r = (struct runstat){ 0 };
	for (size_t i = 0; i < 3; i++)
		runstat_add(&r, xs[i]);
	ck_assert_double_eq_tol(r.mean, 12, 1e-12);
	/* sample stddev 2, standard error 2/sqrt(3), relative to 12 */
	ck_assert_double_eq_tol(runstat_rel_stderr_pct(&r), 2 / sqrt(3) / 12 * 100, 1e-9);
}
END_TEST

START_TEST(test_runstat_large_values)
{
	struct runstat r = { 0 };

	/* Welford keeps precision where sum-of-squares would cancel. */
	runstat_add(&r, 1e15 + 1);
	runstat_add(&r, 1e15 + 3);
	ck_assert_double_eq_tol(r.mean, 1e15 + 2, 1e-3);
	ck_assert_double_eq_tol(r.m2, 2.0, 1e-3);
}
END_TEST

static Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");

	tcase_add_test(core, test_basic_ratios);
	tcase_add_test(core, test_rows_hardware);
	tcase_add_test(core, test_rows_cache_generic);
	tcase_add_test(core, test_runstat);
	tcase_add_test(limits, test_undefined_ratios);
	tcase_add_test(limits, test_rows_partner_missing);
	tcase_add_test(limits, test_rows_privilege_must_match);
	tcase_add_test(limits, test_runstat_large_values);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return unit_run(metrics_suite());
}
