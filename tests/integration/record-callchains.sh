#!/bin/sh
# Call chains: deep recursion with frame pointers and with DWARF; a -fomit-frame-pointer build needs DWARF.
. "$TOP_SRCDIR/tests/integration/lib.sh"
need_perf
cd "$TMP"

# Depth of each sample's chain, from perf script's one-frame-per-line output.
depths() { # FILE
	perf script -F ip,sym -i "$1" 2>/dev/null | awk '/^$/ { if (n) print n; n = 0; next } { n++ } END { if (n) print n }'
}

for mode in -g "--call-graph=dwarf"; do
	run "$HWPROF" record $mode -o deep.data -- "$WORKLOADS/recurse" 150
	expect_rc 0
	perf_reads deep.data
	deep=$(depths deep.data | awk '$1 >= 100 { n++ } END { print n + 0 }')
	all=$(perf_sample_count deep.data)
	[ "$deep" -ge $((all / 2)) ] || fail "$mode: only $deep of $all samples have chains of 100+ frames"
done

# a -> b -> c without frame pointers: DWARF recovers it, frame pointers cannot.
run "$HWPROF" record --call-graph dwarf -o nofp.data -- "$WORKLOADS/nofp"
expect_rc 0
perf_reads nofp.data
perf script -F ip,sym -i nofp.data | awk '/^$/ { if (c) print c; c = ""; next } { c = c " " $2 } END { if (c) print c }' >chains
hot=$(grep -c '^ func_c func_b func_a main' chains || true)
all=$(wc -l <chains)
[ "$hot" -ge $((all * 8 / 10)) ] || fail "only $hot of $all DWARF samples unwind func_c > func_b > func_a > main: $(sort chains | uniq -c | sort -rn | head -3)"

run "$HWPROF" record -g -o nofp-fp.data -- "$WORKLOADS/nofp"
expect_rc 0
perf script -F ip,sym -i nofp-fp.data | awk '/^$/ { if (c) print c; c = ""; next } { c = c " " $2 } END { if (c) print c }' >fpchains
# The kernel's frame-pointer walk cannot follow code built without frame
# pointers, but record -g adds the callers it skips from their CFI, while
# they sit in the few hundred bytes of stack it copies (framefix.c): the
# file perf reads has the whole chain.
hot=$(grep -c '^ func_c func_b func_a main' fpchains || true)
all=$(wc -l <fpchains)
[ "$hot" -ge $((all * 9 / 10)) ] || fail "only $hot of $all -g samples have func_c > func_b > func_a > main: $(sort fpchains | uniq -c | sort -rn | head -3)"

# DWARF records keep only the valid part of each stack copy, and stay readable.
run "$HWPROF" record --call-graph dwarf,4096 -o small.data -- "$WORKLOADS/nofp" 200000000
expect_rc 0
perf_reads small.data
perf script -D -i small.data 2>/dev/null | awk '/ustack: size/ { n++; if ($4 + 0 > 4096) bad++ } END { exit !(n > 0 && bad == 0) }' \
	|| fail "stack copies larger than asked for, or none"

run "$HWPROF" record --call-graph dwarf,100000 -- true
expect_rc 2
expect_grep "$TMP/err" "invalid call graph 'dwarf,100000'"
run "$HWPROF" record --call-graph frames -- true
expect_rc 2
expect_grep "$TMP/err" "invalid call graph 'frames' (want fp, lbr, dwarf"
echo "PASS: call chains"
