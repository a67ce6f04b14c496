#!/bin/sh
# Symbolization: source lines from line tables, inlined functions from debug info,
# stripped binaries, binaries deleted or rebuilt since recording, --symfs.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
cd "$TMP"

# Rows of a JSON report as "symbol<TAB>srcline<TAB>samples".
rows() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); ev = d["events"][0]["name"]
for r in d["rows"]:
    print("%s\t%s\t%d" % (r.get("symbol"), r.get("srcline"), r["events"][ev]["samples"]))' "$1"
}

# Source lines: the 60% function's samples sit on its one line of code.
run "$HWPROF" record -o split.data -- "$WORKLOADS/split" 10
expect_rc 0
"$HWPROF" report -i split.data --sort sym,srcline --json --percent-limit 0 >split.json || fail "report --srcline failed"
line=$(grep -n 'void sixty' "$TOP_SRCDIR/tests/workloads/split.c" | cut -d: -f1)
rows split.json | awk -F'\t' '$1 == "sixty"' >sixty.rows
top=$(sort -t"$(printf '\t')" -k3,3nr sixty.rows | head -1 | cut -f2)
[ "$top" = "split.c:$line" ] || fail "sixty's samples are at '$top', want split.c:$line: $(cat sixty.rows)"
"$HWPROF" report -i split.data --srcline --top 3 >split.txt
expect_grep split.txt "Source:Line"
expect_grep split.txt "sixty  split.c:$line"

# Inlined code: with --inline the samples go to inner_work, inlined into outer.
run "$HWPROF" record -o inl.data -- "$WORKLOADS/inlined"
expect_rc 0
"$HWPROF" report -i inl.data --sort sym --json >plain.json
"$HWPROF" report -i inl.data --sort sym --inline --json >inline.json
rows plain.json | head -1 | grep -q '^outer	' || fail "without --inline the top row is not outer: $(rows plain.json | head -3)"
rows inline.json | head -1 | grep -q '^inner_work (inlined)	' || fail "with --inline the top row is not inner_work: $(rows inline.json | head -3)"

# A stripped copy: names from .dynsym where there are any, addresses otherwise, no crash.
cp "$WORKLOADS/split" split-stripped
strip split-stripped
run "$HWPROF" record -o stripped.data -- ./split-stripped 5
expect_rc 0
run "$HWPROF" report -i stripped.data --sort dso,sym
expect_rc 0
grep -q 'split-stripped *\[\.\] 0x[0-9a-f]*$' "$TMP/out" || fail "stripped binary rows are not addresses: $(head -20 "$TMP/out")"

# Deleted since recording: a note, addresses, no crash.
cp "$WORKLOADS/split" split-gone
run "$HWPROF" record -o gone.data -- ./split-gone 5
rm split-gone
run "$HWPROF" report -i gone.data
expect_rc 0
expect_grep "$TMP/err" "no symbols for '.*split-gone': No such file or directory (deleted since recording"
expect_grep "$TMP/out" "split-gone *\[\.\] 0x"

# Rebuilt since recording (another build id): refused for symbols, never misattributed.
cp "$WORKLOADS/split" split-changed
run "$HWPROF" record -o changed.data -- ./split-changed 5
cp "$WORKLOADS/nofp" split-changed
run "$HWPROF" report -i changed.data
expect_rc 0
expect_grep "$TMP/err" "no symbols for '.*split-changed': its build id differs from the recorded one"
expect_no_grep "$TMP/out" "func_[abc]"

# --symfs: the recorded path under another root.
mkdir -p sysroot"$TMP"
cp "$WORKLOADS/split" sysroot"$TMP"/split-moved
cp "$WORKLOADS/split" split-moved
run "$HWPROF" record -o moved.data -- ./split-moved 5
rm split-moved
run "$HWPROF" report -i moved.data --symfs "$TMP/sysroot" --sort sym
expect_rc 0
expect_grep "$TMP/out" "\[\.\] sixty$"
expect_no_grep "$TMP/err" "no symbols for '.*split-moved'"
# --symfs by build id: a copy under DIR/.build-id/xx/rest, whatever its name.
bid=$(file -L "$WORKLOADS/split" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
if [ -n "$bid" ]; then
	mkdir -p "byid/.build-id/$(echo "$bid" | cut -c1-2)"
	cp "$WORKLOADS/split" "byid/.build-id/$(echo "$bid" | cut -c1-2)/$(echo "$bid" | cut -c3-)"
	run "$HWPROF" report -i moved.data --symfs "$TMP/byid" --sort sym
	expect_rc 0
	expect_grep "$TMP/out" "\[\.\] sixty$"
fi

# C++: demangled names.
run "$HWPROF" record -o cxx.data -- "$WORKLOADS/cxx"
expect_rc 0
run "$HWPROF" report -i cxx.data --sort sym --top 1
expect_rc 0
expect_grep "$TMP/out" "\[\.\] geometry::Accumulator<long>::add_squares(unsigned long)$"
echo "PASS: report symbols"
