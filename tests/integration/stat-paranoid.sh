#!/bin/sh
# perf_event_paranoid as an unprivileged user: kernel counting dropped with a note, system-wide refused with the sysctl named.
. "$TOP_SRCDIR/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to run hwprof as an unprivileged user"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is not installed"
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
[ "$paranoid" -ge 2 ] || skip "kernel.perf_event_paranoid is $paranoid; the test needs 2 or more"

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
# The unprivileged user must be able to reach the binaries.
as_nobody test -x "$HWPROF" || skip "$HWPROF is not reachable by user nobody"

chmod 777 "$TMP"
run as_nobody "$HWPROF" stat -x, -e task-clock,page-faults -o "$TMP/out.csv" -- "$WORKLOADS/touch_pages" 500
expect_rc 0
expect_grep "$TMP/err" "note: kernel.perf_event_paranoid forbids counting kernel code: counts are for user space only"
pf=$(csv_value "$TMP/out.csv" page-faults) || fail "no page-faults: $(cat "$TMP/out.csv")"
[ "$pf" -ge 500 ] || fail "user-space page-faults $pf < 500"

run as_nobody "$HWPROF" stat -a -e cpu-clock -- true
expect_rc 1
expect_grep "$TMP/err" "^hwprof stat: cannot count 'cpu-clock': permission denied: kernel.perf_event_paranoid is $paranoid; .*sysctl kernel.perf_event_paranoid=N"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "not one line: $(cat "$TMP/err")"

# Another user's process: refused, not silently empty.
"$WORKLOADS/spin" 3000 &
spinner=$!
run as_nobody "$HWPROF" stat -e task-clock -p $spinner -- sleep 0.1
kill $spinner 2>/dev/null || true
expect_rc 1
expect_grep "$TMP/err" "^hwprof stat: cannot count 'task-clock': permission denied: process $spinner belongs to another user"

# The same with the default events: the same error, not a table of <not supported>.
"$WORKLOADS/spin" 3000 &
spinner=$!
run as_nobody "$HWPROF" stat -p $spinner -- sleep 0.1
kill $spinner 2>/dev/null || true
expect_rc 1
expect_grep "$TMP/err" "^hwprof stat: cannot count 'task-clock': permission denied: process $spinner belongs to another user"
expect_no_grep "$TMP/err" "not supported"
echo "PASS: paranoid"
