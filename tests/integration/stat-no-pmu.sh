#!/bin/sh
# Without a PMU: one plain note, hardware rows <not supported>, software counted, the child's status kept.
. "$TOP_SRCDIR/tests/integration/lib.sh"

if have_pmu; then
	skip "this machine has a PMU; the no-PMU behaviour cannot be seen here"
fi

run "$HWPROF" stat -- "$WORKLOADS/exit_with" 6
expect_rc 6
[ "$(grep -c 'hwprof: note: this kernel has no hardware PMU' "$TMP/err")" -eq 1 ] \
	|| fail "the no-PMU note is not there exactly once: $(cat "$TMP/err")"
for ev in cycles instructions branches branch-misses cache-references cache-misses; do
	grep -q "<not supported> *$ev\$" "$TMP/err" || fail "$ev is not '<not supported>': $(cat "$TMP/err")"
done
for ev in task-clock context-switches cpu-migrations page-faults; do
	grep -q "^ *[0-9][0-9.]* .*$ev" "$TMP/err" || fail "$ev not counted: $(cat "$TMP/err")"
done

# JSON carries the note and the status per event.
run "$HWPROF" stat --json -- true
expect_rc 0
grep -q '"notes": \["this kernel has no hardware PMU' "$TMP/err" || fail "no note in JSON"
grep -q '"event": "instructions", "status": "not supported"' "$TMP/err" || fail "no status in JSON"

# A hardware event asked for by name is an error, in one line, and the command is not run.
run "$HWPROF" stat -e task-clock,instructions -- touch "$TMP/ran"
expect_rc 1
expect_grep "$TMP/err" "^hwprof stat: cannot count 'instructions': this kernel has no hardware PMU"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "not one line: $(cat "$TMP/err")"
[ ! -e "$TMP/ran" ] || fail "the command ran although its events could not be counted"

for ev in L1-dcache-load-misses r01c2 '{cycles,instructions}'; do
	run "$HWPROF" stat -e "$ev" -- true
	expect_rc 1 "$ev"
	expect_grep "$TMP/err" "cannot count '.*': this kernel has no hardware PMU"
done
echo "PASS: no PMU"
