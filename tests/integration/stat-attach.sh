#!/bin/sh
# Counting a running process (-p) and the whole system (-a), ended by a command, by exit or by a signal.
. "$TOP_SRCDIR/tests/integration/lib.sh"

"$WORKLOADS/spin" 20000 &
spinner=$!
trap 'kill $spinner 2>/dev/null; rm -rf "$TMP"' EXIT

# -p PID -- sleep: counts for the life of the command, which is what the
# process itself says it used meanwhile (however busy the machine is).
before=$(cpu_ms $spinner)
run "$HWPROF" stat -x, -e task-clock -p $spinner -- sleep 0.5
after=$(cpu_ms $spinner)
expect_rc 0
tc=$(csv_value "$TMP/err" task-clock) || fail "no task-clock: $(cat "$TMP/err")"
used=$((after - before))
[ $used -ge 100 ] || skip "the spinner got only $used ms of CPU in 0.5 s: machine too loaded"
fcmp "$tc" ">=" "$((used * 8 / 10 - 20))" || fail "task-clock $tc msec, the process used $used ms"
fcmp "$tc" "<=" "$((used * 12 / 10 + 20))" || fail "task-clock $tc msec, the process used $used ms"

# -p PID alone: counts until SIGINT, then prints and exits 0.
"$HWPROF" stat -e task-clock -p $spinner -o "$TMP/int.txt" 2>"$TMP/err" &
stat_pid=$!
sleep 0.4
kill -INT $stat_pid
set +e
wait $stat_pid
rc=$?
set -e
expect_rc 0 "stat -p ended by SIGINT"
expect_grep "$TMP/int.txt" "Performance counter stats for process id '$spinner'"
expect_grep "$TMP/int.txt" 'msec task-clock'

# -p PID alone: ends by itself when the process exits.
"$WORKLOADS/spin" 200 &
short=$!
run timeout 10 "$HWPROF" stat -x, -e task-clock -p $short
expect_rc 0 "stat -p of a process that exits"
tc=$(csv_value "$TMP/err" task-clock)
fcmp "$tc" ">" 50 || fail "task-clock $tc of a process that spun 200 ms"

run "$HWPROF" stat -p 0 -- true
expect_rc 2
expect_grep "$TMP/err" "invalid pid '0'"
run "$HWPROF" stat -p 12abc -- true
expect_rc 2
run "$HWPROF" stat -p 4194303 -- true
expect_rc 1
expect_grep "$TMP/err" "cannot attach to pid 4194303: no such process"

# -a: cpu-clock over every CPU for the life of the command.
ncpu=$(getconf _NPROCESSORS_ONLN)
run "$HWPROF" stat -a -x, -e cpu-clock -- sleep 0.5
if [ $rc -ne 0 ] && grep -q 'permission denied' "$TMP/err"; then
	skip "system-wide counting is not allowed here: $(cat "$TMP/err")"
fi
expect_rc 0
cc=$(csv_value "$TMP/err" cpu-clock)
fcmp "$cc" ">=" "$((ncpu * 400))" || fail "cpu-clock $cc msec over $ncpu CPUs x 0.5 s"
fcmp "$cc" "<=" "$((ncpu * 700))" || fail "cpu-clock $cc msec over $ncpu CPUs x 0.5 s"
expect_no_grep "$TMP/err" 'seconds user'
echo "PASS: attach"
