/* The ordering queue: time order across rounds, ties by arrival, records kept
 * in place or copied, and which kept record is lowest in memory. */
#include "unit.h"

#include "hwprof/ordered.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

struct rec {
	struct perf_event_header h;
	uint64_t tag;
};

struct seen {
	uint64_t tags[64];
	const void *where[64];
	size_t n;
};

static int collect(void *arg, const struct perf_event_header *h, const void *ctx)
{
	struct seen *s = arg;
	const struct rec *r = (const struct rec *)(const void *)h;

	(void)ctx;
	s->tags[s->n] = r->tag;
	s->where[s->n++] = h;
	return 0;
}

static struct rec make(uint64_t tag)
{
	struct rec r = { { PERF_RECORD_SAMPLE, 0, sizeof(struct rec) }, tag };
	return r;
}

START_TEST(test_round_order)
{
	struct ordered o;
	struct seen s = { 0 };
	struct rec kept[3] = { make(30), make(10), make(20) };
	struct rec tmp;

	ordered_init(&o);
	/* Two kept in place, one copied from a buffer that is then overwritten. */
	ck_assert_int_eq(ordered_push(&o, 30, &kept[0].h, true, NULL, collect, &s), 0);
	ck_assert_int_eq(ordered_push(&o, 10, &kept[1].h, true, NULL, collect, &s), 0);
	tmp = make(20);
	ck_assert_int_eq(ordered_push(&o, 20, &tmp.h, false, NULL, collect, &s), 0);
	tmp = make(999);
	ck_assert_ptr_eq(ordered_lowest_kept(&o), &kept[0]);

	/* The first round only sets the limit: nothing is final yet. */
	ck_assert_int_eq(ordered_round(&o, collect, &s), 0);
	ck_assert_uint_eq(s.n, 0);
	/* A record older than the limit arrives late and still comes first. */
	ck_assert_int_eq(ordered_push(&o, 5, &kept[2].h, true, NULL, collect, &s), 0);
	ck_assert_int_eq(ordered_round(&o, collect, &s), 0);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.tags[0], 20); /* kept[2], time 5 */
	ck_assert_uint_eq(s.tags[1], 10);
	ck_assert_uint_eq(s.tags[2], 20); /* the copy survived the buffer's reuse */
	ck_assert_uint_eq(s.tags[3], 30);
	ck_assert_ptr_eq(s.where[0], &kept[2]);
	ck_assert_ptr_ne(s.where[2], &tmp);
	ck_assert_ptr_eq(s.where[3], &kept[0]);
	ck_assert_ptr_null(ordered_lowest_kept(&o));
	ordered_release(&o);
}
END_TEST

START_TEST(test_ties_and_lowest)
{
	struct ordered o;
	struct seen s = { 0 };
	struct rec kept[4] = { make(1), make(2), make(3), make(4) };

	ordered_init(&o);
	/* Same time: arrival order decides. */
	ordered_push(&o, 7, &kept[2].h, true, NULL, collect, &s);
	ordered_push(&o, 7, &kept[0].h, false, NULL, collect, &s);
	ordered_push(&o, 7, &kept[3].h, true, NULL, collect, &s);
	/* Copies do not count as kept: the lowest kept is kept[2]. */
	ck_assert_ptr_eq(ordered_lowest_kept(&o), &kept[2]);
	ordered_push(&o, 8, &kept[1].h, true, NULL, collect, &s);
	ck_assert_ptr_eq(ordered_lowest_kept(&o), &kept[1]);
	ck_assert_int_eq(ordered_flush(&o, collect, &s), 0);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.tags[0], 3);
	ck_assert_uint_eq(s.tags[1], 1);
	ck_assert_uint_eq(s.tags[2], 4);
	ck_assert_uint_eq(s.tags[3], 2);
	ordered_release(&o);
}
END_TEST

static Suite *ordered_suite(void)
{
	Suite *s = suite_create("ordered");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_round_order);
	tcase_add_test(core, test_ties_and_lowest);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(ordered_suite());
}
