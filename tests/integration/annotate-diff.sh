#!/bin/sh
# annotate: the hot loop's instructions get the samples; diff: a function that grew is found and gates.
. "$TOP_SRCDIR/tests/integration/lib.sh"
cd "$TMP"

run "$HWPROF" record -o split.data -- "$WORKLOADS/split" 10
expect_rc 0

# annotate sixty: a loop (a backward jump to a label), the hottest instruction inside it,
# percentages summing to 100, the source line shown.
run "$HWPROF" annotate -i split.data sixty
expect_rc 0
expect_grep "$TMP/out" "^# hwprof annotate: 'sixty' in .*split"
line=$(grep -n 'void sixty' "$TOP_SRCDIR/tests/workloads/split.c" | cut -d: -f1)
expect_grep "$TMP/out" "split.c:$line$"
awk '
	/^ +L[0-9]+:$/ { label[$1] = NR }
	/^ +[0-9.]+ +[0-9]+ +[0-9a-f]+:/ {
		sum += $1
		if ($0 ~ /<-- hottest/) hot = NR
		if ($NF ~ /^L[0-9]+$/ && ($NF ":") in label && label[$NF ":"] < NR) { loop_top = label[$NF ":"]; loop_end = NR }
	}
	END {
		if (sum < 99.9 || sum > 100.1) { print "percentages sum to " sum; exit 1 }
		if (!loop_end) { print "no backward jump (loop) found"; exit 1 }
		if (!(hot > loop_top && hot <= loop_end)) { print "hottest line " hot " is outside the loop " loop_top ".." loop_end; exit 1 }
	}' "$TMP/out" >check.out || fail "annotate: $(cat check.out): $(cat "$TMP/out")"

run "$HWPROF" annotate -i split.data sixy
expect_rc 1
expect_grep "$TMP/err" "^hwprof annotate: no samples in 'sixy' (closest in the profile: 'sixty'"
run "$HWPROF" annotate -i split.data
expect_rc 2
run "$HWPROF" annotate -i split.data --top 2
expect_rc 0
[ "$(grep -c '^# hwprof annotate:' "$TMP/out")" -eq 2 ] || fail "--top 2 annotated $(grep -c '^# hwprof annotate:' "$TMP/out") functions"

# A shared library function.
run "$HWPROF" record -o lib.data -- "$WORKLOADS/libhot" 200
run "$HWPROF" annotate -i lib.data --top 1
expect_rc 0
expect_grep "$TMP/out" "^# hwprof annotate: '.*' in .*libz\.so"

# Rebuilt since recording: refused, never shows other code.
cp "$WORKLOADS/split" mine
run "$HWPROF" record -o mine.data -- ./mine 5
cp "$WORKLOADS/nofp" mine
run "$HWPROF" annotate -i mine.data sixty
expect_rc 1
expect_grep "$TMP/err" "build id differs"

# diff: the same program with the work moved from alpha to beta.
run "$HWPROF" record -o base.data -- "$WORKLOADS/mix" 3 1
run "$HWPROF" record -o new.data -- "$WORKLOADS/mix" 1 3
run "$HWPROF" diff base.data new.data
expect_rc 0
first=$(grep -v '^#' "$TMP/out" | head -2)
echo "$first" | grep -q '\] beta$' || fail "beta is not among the top changes: $first"
delta=$(grep '\] beta$' "$TMP/out" | awk '{ print $3 }')
expect_grep "$TMP/out" "^#  cpu-clock\|^#  cycles"
expect_grep "$TMP/out" "^#      Base      New    Delta"
fcmp "$delta" ">" 25 || fail "beta grew by $delta points, expected about +50"
alpha=$(grep '\] alpha$' "$TMP/out" | awk '{ print $3 }')
fcmp "$alpha" "<" -25 || fail "alpha changed by $alpha points, expected about -50"

run "$HWPROF" diff --fail-above 10 base.data new.data
expect_rc 1
expect_grep "$TMP/err" "^hwprof diff: 'beta' grew by [0-9.]* points, more than the 10.00 allowed$"
run "$HWPROF" diff --fail-above 10 base.data base.data
expect_rc 0
run "$HWPROF" diff base.data
expect_rc 2
run "$HWPROF" diff base.data /nonexistent.data
expect_rc 1
expect_grep "$TMP/err" "cannot open '/nonexistent.data'"
run "$HWPROF" diff --json base.data new.data
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(r["symbol"]=="beta" and r["delta"]>35 for r in d["rows"])' "$TMP/out" \
	|| fail "diff --json lacks beta's growth"
echo "PASS: annotate and diff"
