/* Off-CPU intervals from switch records: switch-out to switch-in, blocked or
 * runnable, with the switch-out sample's stack or else the last on-CPU one. */
#include "unit.h"

#include "hwprof/offcpu.h"

#include <check.h>
#include <linux/perf_event.h>

static const struct frame sched_stack[] = { { 0xffffffff81000000ull, PERF_RECORD_MISC_KERNEL, false },
					     { 0x401000, PERF_RECORD_MISC_USER, false } };
static const struct frame cpu_stack[] = { { 0x402000, PERF_RECORD_MISC_USER, false } };

START_TEST(test_blocked_and_runnable)
{
	struct offcpu o;
	struct offcpu_interval iv;

	offcpu_init(&o);
	offcpu_switch_stack(&o, 7, 100, sched_stack, 2);
	ck_assert(!offcpu_switch(&o, 1, 7, 100, true, false, &iv));
	ck_assert(offcpu_switch(&o, 1, 7, 350, false, false, &iv));
	ck_assert_uint_eq(iv.tid, 7);
	ck_assert_uint_eq(iv.pid, 1);
	ck_assert_uint_eq(iv.end - iv.start, 250);
	ck_assert(!iv.runnable);
	ck_assert_int_eq(iv.stack, OFFCPU_SWITCH_STACK);
	ck_assert_uint_eq(iv.nframes, 2);
	ck_assert_uint_eq(iv.frames[1].ip, 0x401000);
	/* preempted: runnable; its switch-out sample was taken for the wait before */
	ck_assert(!offcpu_switch(&o, 1, 7, 400, true, true, &iv));
	ck_assert(offcpu_switch(&o, 1, 7, 410, false, false, &iv));
	ck_assert(iv.runnable);
	ck_assert_int_eq(iv.stack, OFFCPU_NO_STACK);
	ck_assert_uint_eq(o.intervals, 2);
	ck_assert_uint_eq(o.no_stack, 1);
	/* a switch-in without a switch-out (seen running first), the idle task */
	ck_assert(!offcpu_switch(&o, 1, 8, 500, false, false, &iv));
	ck_assert(!offcpu_switch(&o, 0, 0, 500, true, false, &iv));
	offcpu_release(&o);
}
END_TEST

START_TEST(test_last_sample_exit_and_end)
{
	struct offcpu o;
	struct offcpu_interval iv;

	offcpu_init(&o);
	/* a user's recording: no switch-out sample, the last on-CPU stack */
	offcpu_last_stack(&o, 9, cpu_stack, 1);
	offcpu_switch(&o, 2, 9, 1000, true, false, &iv);
	ck_assert(offcpu_switch(&o, 2, 9, 1600, false, false, &iv));
	ck_assert_int_eq(iv.stack, OFFCPU_LAST_SAMPLE);
	ck_assert_uint_eq(iv.frames[0].ip, 0x402000);
	/* an exited thread's last switch-out is no wait */
	offcpu_switch(&o, 2, 9, 2000, true, false, &iv);
	offcpu_exit(&o, 9);
	ck_assert(!offcpu_flush(&o, 5000, &iv));
	/* a wait open when the recording ends, ends there */
	offcpu_switch(&o, 2, 10, 3000, true, false, &iv);
	ck_assert(offcpu_flush(&o, 5000, &iv));
	ck_assert_uint_eq(iv.tid, 10);
	ck_assert_uint_eq(iv.end - iv.start, 2000);
	ck_assert(!offcpu_flush(&o, 5000, &iv));
	offcpu_release(&o);
}
END_TEST

static Suite *offcpu_suite(void)
{
	Suite *s = suite_create("offcpu");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_blocked_and_runnable);
	tcase_add_test(core, test_last_sample_exit_and_end);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(offcpu_suite());
}
