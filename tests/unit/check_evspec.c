/* Event-spec parsing: every accepted form, and the errors users see. */
#include "hwprof/events.h"
#include "hwprof/util.h"

#include "unit.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct good_case {
	const char *spec;
	size_t idx;		/* which event of the parsed list to check */
	size_t nr;		/* events in the list */
	__u32 type;
	__u64 config;
	int exclude_user, exclude_kernel, exclude_hv;
	size_t leader;
	const char *name;
};

static const struct good_case good[] = {
	{ "cycles", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 0, 0, 0, "cycles" },
	{ "cpu-cycles", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 0, 0, 0, "cpu-cycles" },
	{ "instructions:u", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, 1, 1, 0,
	  "instructions:u" },
	{ "cycles:k", 0, 1, PERF_TYPE_HARDWARE, 0, 1, 0, 1, 0, "cycles:k" },
	{ "cycles:uk", 0, 1, PERF_TYPE_HARDWARE, 0, 0, 0, 1, 0, "cycles:uk" },
	{ "branch-instructions", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 0, 0,
	  0, 0, "branch-instructions" },
	{ "branches,branch-misses", 1, 2, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 0, 0, 0,
	  1, "branch-misses" },
	{ "ref-cycles", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES, 0, 0, 0, 0, NULL },
	{ "stalled-cycles-backend", 0, 1, PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND,
	  0, 0, 0, 0, NULL },
	{ "task-clock", 0, 1, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0, 0, 0, 0, NULL },
	{ "cs", 0, 1, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 0, 0, 0, 0, "cs" },
	{ "major-faults", 0, 1, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 0, 0, 0, 0, NULL },
	{ "emulation-faults", 0, 1, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS, 0, 0, 0, 0,
	  NULL },
	{ "L1-dcache-load-misses", 0, 1, PERF_TYPE_HW_CACHE,
	  PERF_COUNT_HW_CACHE_L1D | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16),
	  0, 0, 0, 0, NULL },
	{ "LLC-loads", 0, 1, PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_LL, 0, 0, 0, 0, NULL },
	{ "LLC-prefetch-misses", 0, 1, PERF_TYPE_HW_CACHE,
	  PERF_COUNT_HW_CACHE_LL | (2 << 8) | (1 << 16), 0, 0, 0, 0, NULL },
	{ "dTLB-store-misses", 0, 1, PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_DTLB | (1 << 8) | (1 << 16),
	  0, 0, 0, 0, NULL },
	{ "iTLB-load-misses", 0, 1, PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_ITLB | (1 << 16), 0, 0, 0,
	  0, NULL },
	{ "branch-loads", 0, 1, PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_BPU, 0, 0, 0, 0, NULL },
	{ "r01c2", 0, 1, PERF_TYPE_RAW, 0x1c2, 0, 0, 0, 0, "r01c2" },
	{ "rC0:u", 0, 1, PERF_TYPE_RAW, 0xc0, 0, 1, 1, 0, "rC0:u" },
	{ "{cycles,instructions}", 1, 2, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, 0, 0, 0,
	  "instructions" },
	{ "{cycles,instructions}:u", 1, 2, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, 1, 1, 0,
	  "instructions:u" },
	{ "task-clock,{cycles,cache-misses}:S", 2, 3, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES,
	  0, 0, 0, 1, "cache-misses:S" },
	{ "{cycles:k,instructions}:u", 0, 2, PERF_TYPE_HARDWARE, 0, 0, 0, 1, 0, "cycles:ku" },
	{ "cpu/event=0x3c,umask=0x1/", 0, 1, 4, 0x13c, 0, 0, 0, 0, "cpu/event=0x3c,umask=0x1/" },
	{ "cpu/config=0x1234/u", 0, 1, 4, 0x1234, 0, 1, 1, 0, NULL },
	{ "cpu/event=0xc0,cmask=2/:k", 0, 1, 4, 0x020000c0, 1, 0, 1, 0, NULL },
	{ "cpu/cycles-t/", 0, 1, 4, 0x20000003c, 0, 0, 0, 0, NULL },
	{ "cpu/event=0x3c,umask=0x1/,instructions", 1, 2, PERF_TYPE_HARDWARE, 1, 0, 0, 0, 1, NULL },
};

struct bad_case {
	const char *spec;
	const char *msg; /* substring of the error */
};

static const struct bad_case bad[] = {
	{ "", "empty event list" },
	{ "cycels", "unknown event 'cycels' (did you mean 'cycles'?" },
	{ "instructons", "did you mean 'instructions'" },
	{ "bogus-name-xyz", "unknown event 'bogus-name-xyz'" },
	{ "cycles:x", "unknown modifier 'x'" },
	{ "cycles:", "empty modifier" },
	{ "cycles:pppp", "too many 'p'" },
	{ "cycles,", "trailing ','" },
	{ "cycles,,instructions", "expected an event name" },
	{ "{cycles,instructions", "missing '}'" },
	{ "{cycles instructions}", "unexpected ' ' in group" },
	{ "{}", "expected an event name" },
	{ "cycles instructions", "unexpected ' '" },
	{ "nopmu/event=1/", "unknown PMU 'nopmu'" },
	{ "cpu/event=0x3c", "missing closing '/'" },
	{ "cpu/frobnicate=1/", "PMU 'cpu' has no term or event 'frobnicate'" },
	{ "cpu/event=zz/", "bad value in term 'event=zz'" },
	{ "cpu/event=0x1ff/", "does not fit in term 'event' (8 bits)" },
	{ "cpu/event=1,,umask=1/", "empty term" },
	{ "cpu/bad/", "unreadable PMU format" },
	{ "r", "unknown event 'r'" },
	{ "r12345678901234567", "unknown event" },
	{ "rxyz", "unknown event 'rxyz'" },
};

static char sysfs_root[] = "/tmp/check_evspec.XXXXXX";

/* The fixture runs outside any test, where ck_assert cannot report. */
static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(EXIT_FAILURE);
	}
}

static void write_file(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", sysfs_root, rel);
	FILE *f = fopen(path, "w");
	must(f != NULL, path);
	fputs(text, f);
	must(fclose(f) == 0, path);
	free(path);
}

static void make_dir(const char *rel)
{
	char *path = xasprintf("%s/%s", sysfs_root, rel);
	must(mkdir(path, 0755) == 0, path);
	free(path);
}

/* A fake sysfs with one PMU "cpu" shaped like x86's. */
static void setup_sysfs(void)
{
	must(mkdtemp(sysfs_root) != NULL, "mkdtemp");
	make_dir("bus");
	make_dir("bus/event_source");
	make_dir("bus/event_source/devices");
	make_dir("bus/event_source/devices/cpu");
	make_dir("bus/event_source/devices/cpu/format");
	make_dir("bus/event_source/devices/cpu/events");
	write_file("bus/event_source/devices/cpu/type", "4\n");
	write_file("bus/event_source/devices/cpu/format/event", "config:0-7\n");
	write_file("bus/event_source/devices/cpu/format/umask", "config:8-15\n");
	write_file("bus/event_source/devices/cpu/format/cmask", "config:24-31\n");
	write_file("bus/event_source/devices/cpu/format/in_tx", "config:33\n");
	write_file("bus/event_source/devices/cpu/format/bad", "nonsense\n");
	write_file("bus/event_source/devices/cpu/events/cycles-t", "event=0x3c,in_tx=1\n");
}

static void teardown_sysfs(void)
{
	char *cmd = xasprintf("rm -rf '%s'", sysfs_root);
	must(system(cmd) == 0, cmd);
	free(cmd);
}

START_TEST(test_good)
{
	const struct good_case *g = &good[_i];
	struct evparse_opts opts = { .sysfs = sysfs_root };
	struct evlist el;
	char err[256];
	const struct evsel *ev;

	evlist_init(&el);
	ck_assert_msg(evlist_parse(&el, g->spec, &opts, err, sizeof(err)) == 0, "%s: %s", g->spec, err);
	ck_assert_uint_eq(el.nr, g->nr);
	ev = &el.ev[g->idx];
	ck_assert_uint_eq(ev->attr.type, g->type);
	ck_assert_msg(ev->attr.config == g->config, "%s: config 0x%llx, want 0x%llx", g->spec,
		      (unsigned long long)ev->attr.config, (unsigned long long)g->config);
	ck_assert_int_eq(ev->attr.exclude_user, g->exclude_user);
	ck_assert_int_eq(ev->attr.exclude_kernel, g->exclude_kernel);
	ck_assert_int_eq(ev->attr.exclude_hv, g->exclude_hv);
	ck_assert_uint_eq(ev->leader, g->leader);
	if (g->name)
		ck_assert_str_eq(ev->name, g->name);
	evlist_release(&el);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case *b = &bad[_i];
	struct evparse_opts opts = { .sysfs = sysfs_root };
	struct evlist el;
	char err[256];

	evlist_init(&el);
	ck_assert_msg(evlist_parse(&el, b->spec, &opts, err, sizeof(err)) < 0, "'%s' accepted", b->spec);
	ck_assert_msg(strstr(err, b->msg) != NULL, "'%s': error '%s' lacks '%s'", b->spec, err, b->msg);
	ck_assert_uint_eq(el.nr, 0);
	evlist_release(&el);
}
END_TEST

START_TEST(test_groups)
{
	struct evlist el;
	char err[256];

	evlist_init(&el);
	ck_assert_int_eq(evlist_parse(&el, "task-clock,{cycles,instructions,cache-misses}:S", NULL, err,
				      sizeof(err)), 0);
	ck_assert_uint_eq(el.nr, 4);
	ck_assert_uint_eq(el.ev[0].group_size, 1);
	ck_assert_uint_eq(el.ev[1].group_size, 3);
	for (size_t i = 1; i < 4; i++) {
		ck_assert_uint_eq(el.ev[i].leader, 1);
		ck_assert(el.ev[i].attr.sample_type & PERF_SAMPLE_READ);
		ck_assert(el.ev[i].needs_pmu);
	}
	ck_assert(!el.ev[0].needs_pmu);
	ck_assert(!(el.ev[0].attr.sample_type & PERF_SAMPLE_READ));
	evlist_release(&el);
}
END_TEST

START_TEST(test_append_and_rollback)
{
	struct evlist el;
	char err[256];

	evlist_init(&el);
	ck_assert_int_eq(evlist_parse(&el, "cycles", NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(evlist_parse(&el, "instructions,page-faults", NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(el.nr, 3);
	ck_assert_uint_eq(el.ev[2].leader, 2);
	/* A failing spec leaves what was parsed before untouched. */
	ck_assert_int_lt(evlist_parse(&el, "task-clock,nope", NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(el.nr, 3);
	ck_assert_str_eq(el.ev[2].name, "page-faults");
	evlist_release(&el);
}
END_TEST

START_TEST(test_precise)
{
	struct evlist el;
	char err[256];

	evlist_init(&el);
	ck_assert_int_eq(evlist_parse(&el, "cycles:ppp,instructions:pD", NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(el.ev[0].attr.precise_ip, 3);
	ck_assert_uint_eq(el.ev[1].attr.precise_ip, 1);
	ck_assert_uint_eq(el.ev[1].attr.pinned, 1);
	evlist_release(&el);
}
END_TEST

START_TEST(test_tables)
{
	size_t nr;
	const struct event_name *t = events_cache(&nr);
	__u64 access;
	struct perf_event_attr a = { .type = PERF_TYPE_HW_CACHE };

	/* 7 caches: L1d 3 ops, L1i 2, LLC 3, dTLB 3, iTLB 1, branch 1, node 3 = 16 ops x 2 results. */
	ck_assert_uint_eq(nr, 32);
	ck_assert_str_eq(t[0].name, "L1-dcache-loads");
	ck_assert_str_eq(t[1].name, "L1-dcache-load-misses");
	ck_assert_str_eq(events_name_of(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES), "cache-misses");
	ck_assert_ptr_null(events_name_of(PERF_TYPE_RAW, 1));
	a.config = PERF_COUNT_HW_CACHE_LL | (1 << 16);
	ck_assert(events_cache_is_miss(&a, &access));
	ck_assert_uint_eq(access, PERF_COUNT_HW_CACHE_LL);
	a.config = PERF_COUNT_HW_CACHE_LL;
	ck_assert(!events_cache_is_miss(&a, &access));
}
END_TEST

START_TEST(test_long_error_buffer)
{
	struct evlist el;
	char err[8];

	/* A short buffer truncates the message but never overflows. */
	evlist_init(&el);
	ck_assert_int_lt(evlist_parse(&el, "definitely-not-an-event", NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	evlist_release(&el);
}
END_TEST

static Suite *evspec_suite(void)
{
	Suite *s = suite_create("evspec");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_loop_test(core, test_good, 0, ARRAY_SIZE(good));
	tcase_add_test(core, test_groups);
	tcase_add_test(core, test_append_and_rollback);
	tcase_add_test(core, test_precise);
	tcase_add_test(core, test_tables);
	tcase_add_test(limits, test_long_error_buffer);
	tcase_add_loop_test(corrupt, test_bad, 0, ARRAY_SIZE(bad));
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	int rc;

	setup_sysfs();
	rc = unit_run(evspec_suite());
	teardown_sysfs();
	return rc;
}
