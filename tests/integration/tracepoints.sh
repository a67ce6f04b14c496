#!/bin/sh
# Tracepoints as perf spells them: SUBSYS:NAME and globs from tracefs, listed,
# counted, sampled with their fields, readable by perf, decoded by report.
. "$TOP_SRCDIR/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "tracepoints need root (tracefs is root's)"
grep -qw tracefs /proc/filesystems || skip "this kernel has no tracefs"
# The test stands in for the administrator: it mounts tracefs when it is
# not mounted (hwprof never does), and unmounts it after.
mounted=
if [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing || skip "cannot mount tracefs"
	mounted=1
fi
cleanup() { [ -z "$mounted" ] || umount /sys/kernel/tracing; }
trap cleanup EXIT

run "$HWPROF" list tracepoint
expect_rc 0
expect_grep "$TMP/out" "^  sched:sched_switch  *\[Tracepoint event\]"

run "$HWPROF" stat -x, -e 'sched:sched_switch,sched:sched_wakeup*' -- "$WORKLOADS/waits" 30 3
expect_rc 0
n=$(csv_value "$TMP/err" sched:sched_switch) || fail "no sched_switch count: $(cat "$TMP/err")"
[ "$n" -ge 60 ] || fail "30 waits of 2 threads counted $n switches"
expect_grep "$TMP/err" ",sched:sched_wakeup,"

run "$HWPROF" record -e sched:sched_switch -g -o "$TMP/tp.data" -- "$WORKLOADS/waits" 30 3
expect_rc 0
# perf reads the samples and their fields (the file carries the formats).
if command -v perf >/dev/null 2>&1; then
	perf script -i "$TMP/tp.data" >"$TMP/script" 2>"$TMP/perr" || fail "perf script: $(head -3 "$TMP/perr")"
	expect_grep "$TMP/script" "sched:sched_switch: prev_comm=worker prev_pid=[0-9]* "
else
	skip_part "perf is not installed"
fi
# report decodes them by the saved format: one field, or all.
run "$HWPROF" report -i "$TMP/tp.data" --sort comm --trace-field prev_comm --json
expect_rc 0
python3 - "$TMP/out" <<'PY' || fail "trace field: $(head -c 600 "$TMP/out")"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
# a switch is sampled in the context of the thread switching out: its
# prev_comm field, decoded from RAW, is the sample's own command
seen = {(r["comm"], r["trace"]) for r in rows if r["comm"] in ("worker", "helper")}
if seen != {("worker", "worker"), ("helper", "helper")}:
    sys.exit(f"comm and prev_comm: {sorted(seen)}")
PY
run "$HWPROF" report -i "$TMP/tp.data" --sort trace
expect_rc 0
expect_grep "$TMP/out" "prev_comm=worker prev_pid=[0-9]* prev_prio=[0-9-]* prev_state=[0-9]* next_comm="

# Errors name the problem: no such tracepoint; tracefs not mounted (in a
# private mount namespace, so the machine's mount stays); not readable.
run "$HWPROF" record -e sched:no_such_event -o "$TMP/x.data" -- true
expect_rc 1
expect_grep "$TMP/err" "no tracepoint 'sched:no_such_event' ('hwprof list tracepoint' shows them)"
if command -v unshare >/dev/null 2>&1; then
	run unshare --mount sh -c "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; \"$HWPROF\" stat -e sched:sched_switch -- true"
	expect_rc 1
	expect_grep "$TMP/err" "tracefs is not mounted (an administrator mounts it: mount -t tracefs nodev /sys/kernel/tracing)"
else
	skip_part "unshare is missing"
fi
if command -v setpriv >/dev/null 2>&1; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$HWPROF" stat -e sched:sched_switch -- true
	expect_rc 1
	# tracefs is root's (or, where an administrator opened part of it, its events are)
	grep -q "tracefs is not readable by this user\|is not readable by this user" "$TMP/err" ||
		fail "as nobody: $(cat "$TMP/err")"
fi
finish "tracepoints"
