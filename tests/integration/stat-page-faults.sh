#!/bin/sh
# A program that touches N fresh pages takes at least N page faults, and hwprof counts them.
. "$TOP_SRCDIR/tests/integration/lib.sh"

for n in 2000 20000; do
	run "$HWPROF" stat -x, -e page-faults,minor-faults,major-faults -- "$WORKLOADS/touch_pages" $n
	expect_rc 0
	pf=$(csv_value "$TMP/err" page-faults) || fail "no page-faults row: $(cat "$TMP/err")"
	minor=$(csv_value "$TMP/err" minor-faults) || fail "no minor-faults row"
	[ "$pf" -ge $n ] || fail "page-faults $pf < $n pages touched"
	[ "$minor" -ge $n ] || fail "minor-faults $minor < $n pages touched"
	# ... and not wildly more: the program's own start-up takes well under 1000.
	[ "$pf" -lt $((n + 1000)) ] || fail "page-faults $pf far above $n"
done

# The same count perf sees, within start-up noise.
if command -v perf >/dev/null 2>&1 && perf stat -x, -e page-faults -o "$TMP/perf.csv" -- "$WORKLOADS/touch_pages" 20000 >/dev/null 2>&1; then
	perf_pf=$(awk -F, '$3 ~ /^page-faults/ { print $1 }' "$TMP/perf.csv")
	run "$HWPROF" stat -x, -e page-faults -- "$WORKLOADS/touch_pages" 20000
	ours=$(csv_value "$TMP/err" page-faults)
	diff=$((ours - perf_pf))
	[ ${diff#-} -lt 200 ] || fail "hwprof counts $ours page faults, perf $perf_pf"
fi
echo "PASS: page faults"
