/* Symbols on a small ELF built by the suite (this program itself): names,
 * offsets and source lines of its functions, function bounds, code bytes,
 * and the refusals: a missing file, a file whose build id is not the
 * recorded one. */
#include "unit.h"

#include "hwprof/symbols.h"

#include "../common/selfmap.h"

#include <check.h>
#include <string.h>

static volatile int sink;

int symtest_target(int x);
static const int target_line = __LINE__ + 2;
__attribute__((noipa)) int symtest_target(int x)
{
	sink = x * 7;
	return sink + 3;
}

static struct symbols *syms;
static struct selfmap self;

static void setup(void)
{
	struct symbols_opts so = { 0 };

	ck_assert_int_eq(selfmap_read(&self), 0);
	syms = symbols_new(&so);
}

static void teardown(void)
{
	symbols_free(syms);
}

START_TEST(test_name_offset_and_line)
{
	struct dso *d = symbols_dso(syms, self.path);
	uint64_t v = selfmap_vaddr(&self, (const void *)symtest_target);
	struct symres r;
	const char *base;

	ck_assert_ptr_eq(symbols_dso(syms, self.path), d);
	ck_assert_int_eq(symbols_resolve_vaddr(syms, d, v, SYMRES_SRCLINE, &r), 0);
	ck_assert_str_eq(r.name, "symtest_target");
	ck_assert_uint_eq(r.offset, 0);
	ck_assert_ptr_nonnull(r.srcfile);
	base = strrchr(r.srcfile, '/');
	ck_assert_str_eq(base ? base + 1 : r.srcfile, "check_symbols.c");
	ck_assert_int_ge(r.line, target_line);
	ck_assert_int_le(r.line, target_line + 2);
	/* through the mapping, as samples come: run-time address in, same answer */
	for (size_t i = 0; i < self.n; i++) {
		uint64_t at = (uint64_t)(uintptr_t)symtest_target + 1;
		if (at < self.maps[i].start || at - self.maps[i].start >= self.maps[i].len)
			continue;
		ck_assert_int_eq(symbols_resolve(syms, d, self.maps[i].start, self.maps[i].pgoff, at, 0, &r), 0);
		ck_assert_str_eq(r.name, "symtest_target");
		ck_assert_uint_eq(r.offset, 1);
		ck_assert_uint_eq(r.file_vaddr, v + 1);
	}
}
END_TEST

START_TEST(test_function_bounds_and_code)
{
	struct dso *d = symbols_dso(syms, self.path);
	uint64_t v = selfmap_vaddr(&self, (const void *)symtest_target), start, size;
	const char *name;
	uint8_t *code = NULL;
	int machine, elfclass;

	ck_assert_int_eq(symbols_function(syms, d, v + 2, &start, &size, &name), 0);
	ck_assert_uint_eq(start, v);
	ck_assert_uint_gt(size, 2);
	ck_assert_str_eq(name, "symtest_target");
	ck_assert_int_eq(symbols_read_code(syms, d, start, size, &code, &machine, &elfclass), 0);
	/* the file's bytes are the ones that run */
	ck_assert_int_eq(memcmp(code, (const void *)symtest_target, size), 0);
	ck_assert_int_eq(elfclass, sizeof(void *) == 8 ? 2 : 1);
	free(code);
}
END_TEST

START_TEST(test_missing_file_and_other_build)
{
	static const uint8_t wrong[20] = { 0xde, 0xad, 0xbe, 0xef };
	struct dso *gone = symbols_dso(syms, "/nonexistent/hwprof-test/libgone.so");
	struct dso *d = symbols_dso(syms, self.path);
	uint64_t v = selfmap_vaddr(&self, (const void *)symtest_target);
	struct symres r = { 0 };

	ck_assert_ptr_ne(gone, d);
	ck_assert_str_eq(dso_short_name(gone), "libgone.so");
	ck_assert_int_lt(symbols_resolve_vaddr(syms, gone, 0x1000, 0, &r), 0);
	ck_assert(dso_missing(gone));
	ck_assert_ptr_nonnull(dso_problem(gone));

	/* the file on disk is not the binary that ran: no names from it */
	dso_set_recorded_build_id(d, wrong, sizeof(wrong));
	ck_assert(symbols_resolve_vaddr(syms, d, v, 0, &r) < 0 || r.name == NULL);
	ck_assert_ptr_nonnull(dso_problem(d));
	ck_assert(!dso_missing(d));
}
END_TEST

static Suite *symbols_suite(void)
{
	Suite *s = suite_create("symbols");
	TCase *core = tcase_create("Core");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_test(core, test_name_offset_and_line);
	tcase_add_test(core, test_function_bounds_and_code);
	tcase_add_test(core, test_missing_file_and_other_build);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(symbols_suite());
}
