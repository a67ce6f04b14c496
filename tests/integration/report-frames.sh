#!/bin/sh
# Every frame right: the first user frame under kernel frames, chains at the
# kernel's depth limit.
. "$TOP_SRCDIR/tests/integration/lib.sh"
cd "$TMP"

# A sample in the page-fault handler: its first user frame is the faulting
# instruction, the first of touch_first; never_called sits just before it.
if [ "$(id -u)" -eq 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]; then
	"$HWPROF" record -q -g -o ff.data -- "$WORKLOADS/faultfirst" 2000 || fail "record of faultfirst"
	"$HWPROF" report -i ff.data --children --sort sym --percent-limit 0 >ff.txt 2>/dev/null || fail "report"
	grep -q 'touch_first$' ff.txt || fail "no touch_first: $(head -20 ff.txt)"
	expect_no_grep ff.txt 'never_called'
	"$HWPROF" report -i ff.data --format folded >ff.folded 2>/dev/null || fail "folded"
	expect_no_grep ff.folded 'never_called'
	grep -q ';touch_first;' ff.folded || fail "no kernel frames above touch_first in the folded stacks"
else
	echo "note: kernel samples need root or perf_event_paranoid <= 1; the first-user-frame case was not run"
fi

# A recursion 200 deep at the default limit of 127 frames: said by record and report.
limit=$(cat /proc/sys/kernel/perf_event_max_stack)
run "$HWPROF" record -g -o deep.data -- "$WORKLOADS/recurse" $((limit + 60))
expect_rc 0
expect_grep "$TMP/err" "call chains reached kernel.perf_event_max_stack ($limit frames) and were cut there"
run "$HWPROF" report -i deep.data
expect_rc 0
expect_grep "$TMP/err" "call chains have $limit frames, the kernel's limit when recorded"
if command -v perf >/dev/null 2>&1; then
	perf script -i deep.data -F ip 2>/dev/null | awk 'NF == 0 { if (n > max) max = n; n = 0; next } { n++ } END { print max }' >perfdepth
	[ "$(cat perfdepth)" -le "$limit" ] || fail "perf reads chains deeper than the limit: $(cat perfdepth)"
fi
# Raised, the whole chain is recorded and reported with no note.
if [ "$(id -u)" -eq 0 ]; then
	sysctl -q kernel.perf_event_max_stack=512 || fail "cannot raise kernel.perf_event_max_stack"
	run "$HWPROF" record -g -o deeper.data -- "$WORKLOADS/recurse" $((limit + 60))
	sysctl -q kernel.perf_event_max_stack="$limit"
	expect_rc 0
	expect_no_grep "$TMP/err" "were cut"
	"$HWPROF" report -i deeper.data --json >deeper.json 2>deeper.err || fail "report of the deeper chains"
	expect_no_grep deeper.err "were cut"
	depth=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["callchains"]["max_depth"])' deeper.json)
	[ "$depth" -gt $((limit + 60)) ] || fail "the report shows chains of $depth frames, not the whole recursion"
fi
echo "PASS: frames"
