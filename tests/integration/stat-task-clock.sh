#!/bin/sh
# task-clock of a CPU-bound program is close to the CPU time it burns.
. "$TOP_SRCDIR/tests/integration/lib.sh"

run "$HWPROF" stat -x, -e task-clock,context-switches -- "$WORKLOADS/spin" 400
expect_rc 0
tc=$(csv_value "$TMP/err" task-clock) || fail "no task-clock row: $(cat "$TMP/err")"
fcmp "$tc" ">=" 380 || fail "task-clock $tc msec for 400 msec of CPU"
fcmp "$tc" "<=" 520 || fail "task-clock $tc msec for 400 msec of CPU"
util=$(awk -F, '$3 == "task-clock" { print $7 }' "$TMP/err")
[ "$(awk -F, '$3 == "task-clock" { print $8 }' "$TMP/err")" = "CPUs utilized" ] || fail "no CPUs utilized metric"
fcmp "$util" ">" 0.5 || fail "a CPU-bound program used $util CPUs"
fcmp "$util" "<" 1.2 || fail "a single-threaded program used $util CPUs"

# Table form: the user time line agrees with task-clock.
run "$HWPROF" stat -e task-clock -- "$WORKLOADS/spin" 200
expect_rc 0
expect_grep "$TMP/err" 'msec task-clock'
user=$(awk '/seconds user/ { print $1 }' "$TMP/err")
fcmp "$user" ">=" 0.15 || fail "user time $user s for 200 msec of CPU"

# Repeats: mean and standard error are printed, and the mean is right.
run "$HWPROF" stat -r 3 -x, -e task-clock -- "$WORKLOADS/spin" 100
expect_rc 0
tc=$(csv_value "$TMP/err" task-clock)
fcmp "$tc" ">=" 95 || fail "mean task-clock $tc msec for 100 msec runs"
fcmp "$tc" "<=" 160 || fail "mean task-clock $tc msec for 100 msec runs"
sd=$(awk -F, '$3 == "task-clock" { print $4 }' "$TMP/err")
[ -n "$sd" ] || fail "no stddev field with -r 3"
run "$HWPROF" stat -r 3 -e task-clock -- "$WORKLOADS/spin" 50
expect_grep "$TMP/err" 'task-clock.*( +- *[0-9.]*% )'
expect_grep "$TMP/err" 'seconds time elapsed  ( +- *[0-9.]*% )'
echo "PASS: task-clock"
