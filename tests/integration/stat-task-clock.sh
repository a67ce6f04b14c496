#!/bin/sh
# task-clock of a CPU-bound program is close to the CPU time it burns.
. "$TOP_SRCDIR/tests/integration/lib.sh"

run "$HWPROF" stat -x, -e task-clock,context-switches -- "$WORKLOADS/spin" 400
expect_rc 0
tc=$(csv_value "$TMP/err" task-clock) || fail "no task-clock row: $(cat "$TMP/err")"
fcmp "$tc" ">=" 380 || fail "task-clock $tc msec for 400 msec of CPU"
fcmp "$tc" "<=" 520 || fail "task-clock $tc msec for 400 msec of CPU"
[ "$(awk -F, '$3 == "task-clock" { print $8 }' "$TMP/err")" = "CPUs utilized" ] || fail "no CPUs utilized metric"
# Utilisation is task-clock over elapsed time, whatever else the machine is doing.
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON output"
run "$HWPROF" stat --json -e task-clock -- "$WORKLOADS/spin" 200
expect_rc 0
python3 - "$TMP/err" <<'PY' || fail "CPUs utilized is not task-clock / elapsed: $(cat "$TMP/err")"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["events"][0]
util = e["metrics"][0]["value"]
want = e["value"] / 1000.0 / d["elapsed_s"]
assert abs(util - want) <= 0.02 * want + 0.001, (util, want)
assert 0.05 < util <= 1.05, util   # one thread: never more than one CPU
PY

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
