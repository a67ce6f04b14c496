#!/bin/sh
# Hardware counters, live: instructions, IPC and groups. Needs a PMU.
. "$TOP_SRCDIR/tests/integration/lib.sh"

have_pmu || skip "no PMU"

run "$HWPROF" stat -x, -e cycles:u,instructions:u -- "$WORKLOADS/spin" 100
expect_rc 0
insn=$(csv_value "$TMP/err" instructions:u) || fail "no instructions row: $(cat "$TMP/err")"
[ "$insn" -gt 1000000 ] || fail "100 ms of spinning ran only $insn instructions"
awk -F, '$3 == "instructions:u" && $8 == "insn per cycle" && $7 > 0 { ok = 1 } END { exit !ok }' "$TMP/err" \
	|| fail "no IPC: $(cat "$TMP/err")"

run "$HWPROF" stat -x, -e '{cycles:u,instructions:u}' -- "$WORKLOADS/spin" 50
expect_rc 0
awk -F, '$3 ~ /^(cycles|instructions)/ && $6 != "100.00" { bad = 1 } END { exit bad }' "$TMP/err" \
	|| fail "a group did not run 100% of the time: $(cat "$TMP/err")"
echo "PASS: hardware"
