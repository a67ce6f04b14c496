#!/bin/sh
# hwprof list shows perf's names and what this machine supports.
. "$TOP_SRCDIR/tests/integration/lib.sh"

run "$HWPROF" list
expect_rc 0
expect_grep "$TMP/out" '^  task-clock .*\[Software\] *supported$'
expect_grep "$TMP/out" '^  page-faults OR faults '
expect_grep "$TMP/out" '^  cycles OR cpu-cycles '
expect_grep "$TMP/out" '^  L1-dcache-load-misses '
expect_grep "$TMP/out" '^  LLC-load-misses '
expect_grep "$TMP/out" '^  dTLB-load-misses '
if have_pmu; then
	expect_grep "$TMP/out" '^  instructions .*\[Hardware\] *supported$'
else
	expect_grep "$TMP/out" 'no hardware PMU'
	expect_grep "$TMP/out" '^  instructions .*not supported'
fi

# Every name listed is accepted by stat's parser.
run "$HWPROF" list sw
expect_rc 0
for ev in $(awk '/^  / { print $1 }' "$TMP/out"); do
	run "$HWPROF" stat -e "$ev" -o /dev/null -- true
	expect_rc 0 "stat -e $ev"
done

run "$HWPROF" list bogus
expect_rc 2
expect_grep "$TMP/err" "unknown event class 'bogus'"
echo "PASS: list"
