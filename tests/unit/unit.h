/* Shared runner for the Check suites: one main() shape for every module. */
#ifndef HWPROF_TESTS_UNIT_H
#define HWPROF_TESTS_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Runs SUITE and returns the process exit status: failure if any test failed. */
static inline int unit_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
