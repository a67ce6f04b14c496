#!/bin/sh
# Exports: folded stacks, an SVG flame graph and pprof's profile.proto, checked by their own consumers.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
cd "$TMP"

run "$HWPROF" record -g -o ex.data -- "$WORKLOADS/forkexec" "$WORKLOADS/split" 10
expect_rc 0
"$HWPROF" report -i ex.data --json --sort sym --percent-limit 0 >ex.json || fail "json report failed"
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"][0]["samples"])' ex.json)
# symbol -> samples, from the JSON report, for comparison
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); ev = d["events"][0]["name"]
for r in d["rows"]: print(r["symbol"], r["events"][ev]["samples"])' ex.json | sort >report.syms

# Folded: every line parses, the counts sum to the samples, leaf frames agree with the report.
run "$HWPROF" report -i ex.data --format folded -o ex.folded
expect_rc 0
awk '{ if (NF < 2 || $NF !~ /^[0-9]+$/ || $0 !~ /;/) bad = 1; s += $NF } END { if (bad) exit 1; print s }' ex.folded >sum \
	|| fail "malformed folded line: $(head -3 ex.folded)"
[ "$(cat sum)" -eq "$total" ] || fail "folded counts sum to $(cat sum), the recording has $total samples"
grep -q '^split;.*;main;sixty [0-9]*$' ex.folded || fail "no split;...;main;sixty stack: $(head -5 ex.folded)"
grep -q '^forkexec;.*;main;parent_work [0-9]*$' ex.folded || fail "no forkexec stack"
awk '{ n = split($1, f, ";"); leaf[f[n]] += $2 } END { for (s in leaf) print s, leaf[s] }' ex.folded | sort >folded.syms
diff report.syms folded.syms >/dev/null || fail "folded leaves differ from the report: $(diff report.syms folded.syms | head)"

# SVG: well-formed XML, every top function drawn, with the script and tooltips.
run "$HWPROF" report -i ex.data --format svg -o ex.svg
expect_rc 0
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout ex.svg || fail "the flame graph is not well-formed XML"
else
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' ex.svg || fail "not XML"
fi
for f in sixty thirty ten parent_work main split forkexec; do
	grep -q "<title>$f (" ex.svg || fail "flame graph lacks $f"
done
expect_grep ex.svg "<script"
grep -q "cpu-clock\|cycles" ex.svg || fail "no event name in the title"

# Coloured by another event: the function with the most cache misses per cycle is the reddest.
"$TOP_BUILDDIR/tests/tools/mkgroupdata" "$WORKLOADS/split" pmu.data || fail "could not synthesize pmu.data"
run "$HWPROF" report -i pmu.data --format svg --color cache-misses -o heat.svg
expect_rc 0
grep -q '<title>thirty (.*fill="rgb(200,0,0)"' heat.svg || fail "thirty (50 MPKI) is not the reddest: $(grep -o '<title>[a-z]* (.*fill="[^"]*"' heat.svg)"
grep -q '<title>ten (.*fill="rgb(255,230,230)"' heat.svg || fail "ten (no misses) is not white"
run "$HWPROF" report -i pmu.data --format svg --color nope -o x.svg
expect_rc 1
expect_grep "$TMP/err" "no event 'nope'"

# pprof: go tool pprof reads it and lists the same functions with the same counts.
run "$HWPROF" report -i ex.data --format pprof
expect_rc 2
expect_grep "$TMP/err" "needs -o FILE"
run "$HWPROF" report -i ex.data --format pprof -o ex.pb.gz
expect_rc 0
[ "$(od -An -tx1 -N2 ex.pb.gz | tr -d ' ')" = 1f8b ] || fail "ex.pb.gz is not gzip"
if ! command -v go >/dev/null 2>&1; then
	echo "SKIP: go is not installed, so pprof could not read the profile back"
	exit 77
fi
HOME=$TMP GOCACHE=$TMP/go-cache GOFLAGS= go tool pprof -top -nodecount=100000 -nodefraction=0 -edgefraction=0 ex.pb.gz >pprof.txt 2>pprof.err \
	|| fail "go tool pprof failed: $(head -5 pprof.err)"
# The main binary pprof names is the user file with the most samples (split and
# forkexec's parent are close: which one wins depends on the machine).
main=$("$HWPROF" report -i ex.data --sort dso --json | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin)["rows"] if not r["kernel"]]
print(rows[0]["dso"])')
expect_grep pprof.txt "^File: $main\$"
awk '/^ *[0-9]+ +[0-9.]+% +[0-9.]+% / { if ($1 > 0) print $6, $1 }' pprof.txt | sort >pprof.syms
# pprof attributes to the innermost inlined function: compare with report --inline.
"$HWPROF" report -i ex.data --json --sort sym --percent-limit 0 --inline | python3 -c '
import json, sys
d = json.load(sys.stdin); ev = d["events"][0]["name"]
for r in d["rows"]: print(r["symbol"].replace(" (inlined)", ""), r["events"][ev]["samples"])' | sort >inline.syms
diff inline.syms pprof.syms >/dev/null || fail "pprof's flat counts differ from the report: $(diff inline.syms pprof.syms | head)"

# DWARF recordings export too (perf_data_converter cannot convert those).
run "$HWPROF" record --call-graph dwarf -o dw.data -- "$WORKLOADS/nofp" 200000000
expect_rc 0
"$HWPROF" report -i dw.data --format pprof -o dw.pb.gz || fail "pprof export of a DWARF recording failed"
HOME=$TMP GOCACHE=$TMP/go-cache go tool pprof -traces dw.pb.gz >traces.txt 2>/dev/null || fail "pprof cannot read the DWARF profile"
grep -A3 'func_c$' traces.txt | grep -q func_b || fail "pprof traces lack func_c <- func_b: $(head -20 traces.txt)"
"$HWPROF" report -i dw.data --format folded | grep -q ';main;func_a;func_b;func_c ' || fail "folded DWARF stacks lack main;func_a;func_b;func_c"
echo "PASS: exports"
