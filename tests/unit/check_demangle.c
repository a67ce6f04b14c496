/* Demangling of the names profiles meet: Itanium C++, Rust legacy and v0, and plain C left alone. */
#include "unit.h"

#include "hwprof/demangle.h"
#include "hwprof/util.h"

#include <check.h>
#include <stdlib.h>

static const struct {
	const char *mangled;
	const char *want; /* NULL: not mangled */
} cases[] = {
	{ "_ZN2ns6WorkerIiE3runEm", "ns::Worker<int>::run(unsigned long)" },
	{ "_Z3addii", "add(int, int)" },
	{ "_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)" },
	{ "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE", "core::fmt::Formatter::pad" },
	{ "_RNvCs1234_7mycrate4main", "mycrate::main" },
	{ "main", NULL },
	{ "__libc_start_main", NULL },
	{ "_start", NULL },
	{ "_Znotmangled", NULL },
};

START_TEST(test_demangle)
{
	char *got = demangle(cases[_i].mangled);

	if (cases[_i].want) {
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, cases[_i].want);
	} else {
		ck_assert_ptr_null(got);
	}
	free(got);
}
END_TEST

static Suite *demangle_suite(void)
{
	Suite *s = suite_create("demangle");
	TCase *core = tcase_create("Core");

	tcase_add_loop_test(core, test_demangle, 0, ARRAY_SIZE(cases));
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(demangle_suite());
}
