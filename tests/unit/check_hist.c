/* The histogram: one entry per key, totals, ranking with every tie broken,
 * events added after entries exist, callers trees per event. */
#include "unit.h"

#include "hwprof/hist.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const enum hist_key comm_pid_sym[] = { HK_COMM, HK_PID, HK_SYM };

static struct hist_entry *add(struct hist *h, const char *sym, uint32_t pid, size_t ev, double period)
{
	struct hist_point p = { .comm = "app", .pid = pid, .tid = 100 - pid, .dso = "app", .sym = sym };
	struct hist_entry *e = hist_entry_of(h, &p);

	hist_add(h, e, ev, 1, period);
	return e;
}

START_TEST(test_one_entry_per_key)
{
	struct hist h;

	hist_init(&h, 1, comm_pid_sym, 3);
	ck_assert_ptr_eq(add(&h, "f", 1, 0, 10), add(&h, "f", 1, 0, 5));
	ck_assert_ptr_ne(add(&h, "f", 1, 0, 1), add(&h, "f", 2, 0, 1));
	ck_assert_uint_eq(h.nr, 2);
	ck_assert_uint_eq(h.total_samples[0], 4);
	ck_assert(h.total_period[0] == 17);
	hist_release(&h);
}
END_TEST

/* Equal weights come out in one order, whatever order they went in and
 * whatever the sort's stability: the same report twice is the same text. */
START_TEST(test_ties_broken_by_every_key)
{
	const struct hist_entry **sorted;
	struct hist h;

	hist_init(&h, 1, comm_pid_sym, 3);
	for (uint32_t pid = 9; pid >= 1; pid--)
		add(&h, "same", pid, 0, 100);
	add(&h, "heavier", 5, 0, 200);
	add(&h, "a_name", 5, 0, 100);
	sorted = hist_sorted(&h, 0, false);
	ck_assert_str_eq(sorted[0]->p.sym, "heavier");
	ck_assert_str_eq(sorted[1]->p.sym, "a_name");
	for (uint32_t i = 0; i < 9; i++)
		ck_assert_uint_eq(sorted[2 + i]->p.pid, i + 1);
	free(sorted);
	hist_release(&h);
}
END_TEST

/* Ranked by the event asked for, or by inclusive weights. */
START_TEST(test_sort_by_event_and_children)
{
	const struct hist_entry **sorted;
	struct hist h;
	struct hist_entry *a, *b;

	hist_init(&h, 2, comm_pid_sym, 3);
	a = add(&h, "a", 1, 0, 10);
	b = add(&h, "b", 1, 1, 30);
	hist_add(&h, a, 1, 1, 5);
	sorted = hist_sorted(&h, 0, false);
	ck_assert_ptr_eq(sorted[0], a);
	free(sorted);
	sorted = hist_sorted(&h, 1, false);
	ck_assert_ptr_eq(sorted[0], b);
	free(sorted);
	a->children[1] = 100;
	sorted = hist_sorted(&h, 1, true);
	ck_assert_ptr_eq(sorted[0], a);
	free(sorted);
	hist_release(&h);
}
END_TEST

/* An event described after samples were counted: every entry grows, values kept. */
START_TEST(test_events_grow)
{
	struct hist h;
	struct hist_entry *e;
	const char *path[] = { "caller" };

	hist_init(&h, 1, comm_pid_sym, 3);
	e = add(&h, "f", 1, 0, 7);
	hist_add_callpath(&h, e, 0, path, 1, 7);
	for (size_t n = 2; n <= 40; n++) {
		hist_set_nevents(&h, n);
		add(&h, "f", 1, n - 1, (double)n);
	}
	ck_assert_uint_eq(h.nevents, 40);
	ck_assert(h.ev_cap >= 40);
	ck_assert(e->period[0] == 7);
	ck_assert(e->period[39] == 40);
	ck_assert(h.total_period[20] == 21);
	ck_assert_uint_eq(e->samples[39], 1);
	ck_assert_ptr_nonnull(e->callers[0]);
	ck_assert_str_eq(e->callers[0]->kids[0]->name, "caller");
	ck_assert_ptr_null(e->callers[39]);
	hist_release(&h);
}
END_TEST

START_TEST(test_parse_keys)
{
	enum hist_key keys[HK_NR];
	const char *bad;
	size_t badlen;

	ck_assert_int_eq(hist_parse_keys("dso,sym", keys, &bad, &badlen), 2);
	ck_assert_int_eq(keys[0], HK_DSO);
	ck_assert_int_eq(keys[1], HK_SYM);
	ck_assert_int_eq(hist_parse_keys("sym,nope", keys, &bad, &badlen), -1);
	ck_assert_uint_eq(badlen, 4);
	ck_assert(!strncmp(bad, "nope", badlen));
}
END_TEST

/* A lookup finds what was added, never adds, and tells kernel from user. */
START_TEST(test_find_never_creates)
{
	struct hist h;
	struct hist_point p = { .comm = "app", .pid = 1, .dso = "app", .sym = "f" };
	char name[32];

	hist_init(&h, 1, comm_pid_sym, 3);
	ck_assert_ptr_null(hist_find(&h, &p));
	ck_assert_uint_eq(h.nr, 0);
	/* enough entries that the index grows several times */
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "fn%d", i);
		add(&h, name, 1, 0, 1);
	}
	for (int i = 0; i < 5000; i++) {
		struct hist_point q = { .comm = "app", .pid = 1, .tid = 99, .dso = "app", .sym = name };
		snprintf(name, sizeof(name), "fn%d", i);
		ck_assert_ptr_nonnull(hist_find(&h, &q));
		ck_assert_str_eq(hist_find(&h, &q)->p.sym, name);
	}
	p.sym = "fn7";
	p.kernel = true;
	ck_assert_ptr_null(hist_find(&h, &p));
	p.kernel = false;
	p.pid = 2;
	ck_assert_ptr_null(hist_find(&h, &p));
	ck_assert_uint_eq(h.nr, 5000);
	hist_release(&h);
}
END_TEST

/* Each key's text as the table shows it. */
START_TEST(test_key_format)
{
	struct hist_point p = { .comm = "app", .pid = 42, .tid = 7, .dso = "libc.so.6", .sym = "memcpy",
				.kernel = true };
	struct strbuf sb = { 0 };

	hist_key_format(&sb, HK_SYM, &p);
	ck_assert_str_eq(sb.buf, "[k] memcpy");
	sb_reset(&sb);
	p.kernel = false;
	hist_key_format(&sb, HK_SYM, &p);
	ck_assert_str_eq(sb.buf, "[.] memcpy");
	sb_reset(&sb);
	hist_key_format(&sb, HK_SRCLINE, &p);
	ck_assert_str_eq(sb.buf, "??:0");
	sb_reset(&sb);
	hist_key_format(&sb, HK_PID, &p);
	ck_assert_str_eq(sb.buf, "     42");
	sb_reset(&sb);
	hist_key_format(&sb, HK_DSO, &p);
	ck_assert_str_eq(sb.buf, "libc.so.6");
	sb_release(&sb);
	for (int k = 0; k < HK_NR; k++) {
		enum hist_key keys[HK_NR];
		const char *bad;
		size_t badlen;
		ck_assert_int_eq(hist_parse_keys(hist_keys[k].name, keys, &bad, &badlen), 1);
		ck_assert_int_eq(keys[0], k);
		ck_assert_ptr_nonnull(strstr(hist_key_names(), hist_keys[k].name));
	}
}
END_TEST

static Suite *hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_one_entry_per_key);
	tcase_add_test(core, test_ties_broken_by_every_key);
	tcase_add_test(core, test_sort_by_event_and_children);
	tcase_add_test(core, test_events_grow);
	tcase_add_test(core, test_parse_keys);
	tcase_add_test(core, test_find_never_creates);
	tcase_add_test(core, test_key_format);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(hist_suite());
}
