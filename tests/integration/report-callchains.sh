#!/bin/sh
# report's call chains: frame pointers as recorded, DWARF unwinding through libdwfl,
# inclusive shares, and the unwinding statistics that tell when stacks were cut short.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
cd "$TMP"

chains() { # FILE -> the JSON callchains object's field FIELD
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["callchains"].get(sys.argv[2], 0))' "$1" "$2"
}
# Children and self percent of SYMBOL in a --children JSON report.
shares() { # JSON SYMBOL
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); ev = d["events"][0]["name"]
r = [r for r in d["rows"] if r["symbol"] == sys.argv[2]]
print("%.2f %.2f" % (r[0]["events"][ev]["children_percent"], r[0]["events"][ev]["percent"]) if r else "0 0")' "$1" "$2"
}

# 150 levels of recursion: DWARF unwinding reaches the bottom of the stack.
run "$HWPROF" record --call-graph dwarf -o deep.data -- "$WORKLOADS/recurse" 150
expect_rc 0
"$HWPROF" report -i deep.data --children --json >deep.json || fail "report failed"
[ "$(chains deep.json max_depth)" -ge 150 ] || fail "DWARF chains only $(chains deep.json max_depth) deep"
all=$(chains deep.json dwarf_samples) complete=$(chains deep.json dwarf_complete)
[ "$all" -gt 0 ] && [ $((complete * 10)) -ge $((all * 9)) ] || fail "only $complete of $all DWARF samples unwound completely"
"$HWPROF" report -i deep.data -g >deep.txt
expect_grep deep.txt "^# DWARF unwinding: $complete of $all samples reached the thread's entry"
# A table of self time needs no unwinding, and says so.
"$HWPROF" report -i deep.data >flat.txt
expect_grep flat.txt "^# DWARF call chains: recorded, not unwound (-g, --children and the exports use them)$"
expect_no_grep flat.txt "^# DWARF unwinding"
"$HWPROF" report -i deep.data --json >flat.json
[ "$(chains flat.json dwarf_unwound)" = False ] || fail "flat JSON: dwarf_unwound is $(chains flat.json dwarf_unwound)"

run "$HWPROF" record -g -o fp.data -- "$WORKLOADS/recurse" 150
expect_rc 0
"$HWPROF" report -i fp.data --json >fp.json
[ "$(chains fp.json max_depth)" -ge 100 ] || fail "frame-pointer chains only $(chains fp.json max_depth) deep"

# a -> b -> c without frame pointers: inclusive shares need DWARF.
run "$HWPROF" record --call-graph dwarf -o nofp.data -- "$WORKLOADS/nofp"
expect_rc 0
"$HWPROF" report -i nofp.data --children --sort sym --json --percent-limit 0 >nofp.json
set -- $(shares nofp.json func_a)
fcmp "$1" ">=" 90 || fail "func_a inclusive share $1% with DWARF unwinding"
fcmp "$2" "<" 2 || fail "func_a self share $2%"
set -- $(shares nofp.json main)
fcmp "$1" ">=" 90 || fail "main inclusive share $1% with DWARF unwinding"
"$HWPROF" report -i nofp.data --children --sort sym --top 6 >nofp.txt
expect_grep nofp.txt "^# Children     Self  Samples  Symbol"
grep -q '^ *9[0-9]\.[0-9]*% *9[0-9]\.[0-9]*% .*func_c$' nofp.txt || fail "func_c row: $(cat nofp.txt)"

run "$HWPROF" record -g -o nofp-fp.data -- "$WORKLOADS/nofp"
"$HWPROF" report -i nofp-fp.data --children --sort sym --json --percent-limit 0 >nofp-fp.json
# -g repairs what frame pointers miss from the CFI (framefix.c): as DWARF does.
set -- $(shares nofp-fp.json func_a)
fcmp "$1" ">=" 90 || fail "-g credited func_a with $1% inclusive in a build without frame pointers"

# A stack copy far too small: most samples stop early, and the header says what to do.
run "$HWPROF" record --call-graph dwarf,64 -o small.data -- "$WORKLOADS/recurse" 150
expect_rc 0
"$HWPROF" report -i small.data --children >small.txt
expect_grep small.txt "stopped early (a truncated stack copy is the usual cause: record with --call-graph dwarf,16384)"
# -g: the callers tree of the hot function, as perf report draws it.
run "$HWPROF" record -g -o callers.data -- "$WORKLOADS/callers"
expect_rc 0
"$HWPROF" report -i callers.data -g --top 1 | sed -n '/^ *[0-9.]*% /,$p' | tail -n +2 | sed 's/ *$//' | sed '/^$/d' >ours.tree
grep -q -- '---leaf$' ours.tree || fail "no tree under leaf: $(cat ours.tree)"
a=$(sed -n 's/.*|--\([0-9.]*\)%--caller_a$/\1/p' ours.tree)
b=$(sed -n 's/.* --\([0-9.]*\)%--caller_b$/\1/p' ours.tree)
[ -n "$a" ] && [ -n "$b" ] || fail "no caller_a / caller_b branches: $(cat ours.tree)"
# The work is split 3:1 between the callers.
awk -v a="$a" -v b="$b" 'BEGIN { r = a / (a + b); exit !(r > 0.65 && r < 0.85) }' \
	|| fail "caller shares $a% / $b% are not about 3:1"
if command -v perf >/dev/null 2>&1; then
	perf report -i callers.data --stdio --no-children 2>/dev/null | grep -v '^#' |
		sed -n '/^ *[0-9.]*% /,$p' | tail -n +2 | sed 's/ *$//' | sed '/^$/d' |
		awk 'NR > 1 && /^ *[0-9.]+% / { exit } { print }' >perf.tree
	diff perf.tree ours.tree >tree.diff || fail "call graph differs from perf's: $(cat tree.diff)"
fi
echo "PASS: report call chains"
