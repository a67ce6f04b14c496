#!/bin/sh
# hwprof report agrees with perf report on recordings from hwprof record and from perf record.
. "$TOP_SRCDIR/tests/integration/lib.sh"
need_perf
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
cd "$TMP"

# Symbol -> samples from perf, then from hwprof, for the sampled instruction.
perf_syms() { perf_top_symbols "$1" | awk '{ print $2, $1 }' | sort; }
hwprof_syms() {
	"$HWPROF" report -i "$1" --json --sort sym --percent-limit 0 >"$1.json" || fail "hwprof report failed on $1"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"][0]["name"]
for r in d["rows"]:
    print(r["symbol"], r["events"][ev]["samples"])' "$1.json" | sort
}

compare() { # FILE
	perf_syms "$1" >perf.syms
	hwprof_syms "$1" >hwprof.syms
	total_perf=$(awk '{ s += $2 } END { print s }' perf.syms)
	total_ours=$(awk '{ s += $2 } END { print s }' hwprof.syms)
	[ "$total_perf" -eq "$total_ours" ] || fail "$1: perf reads $total_perf samples, hwprof $total_ours"
	# Every function with 1% of the samples or more has the same name and count in both.
	sort -k2,2nr perf.syms | awk -v t="$total_perf" '$2 * 100 >= t' | while read -r sym n; do
		ours=$(awk -v s="$sym" '$1 == s { print $2 }' hwprof.syms)
		[ "${ours:-0}" -eq "$n" ] || fail "$1: $sym has $n samples in perf, ${ours:-none} in hwprof"
	done
}

run "$HWPROF" record -g -o ours.data -- "$WORKLOADS/split" 10
expect_rc 0
compare ours.data
n=$(record_summary_samples "$TMP/err")
run "$HWPROF" report -i ours.data --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["events"][0]["samples"] != int(sys.argv[2]))' "$TMP/out" "$n" \
	|| fail "report counts differ from record's summary ($n)"

perf record -q -g -o theirs.data -- "$WORKLOADS/split" 10 >/dev/null 2>&1 || skip "perf record cannot run here"
compare theirs.data

# DWARF recordings and a shared-library hot spot.
run "$HWPROF" record --call-graph dwarf -o dwarf.data -- "$WORKLOADS/libhot" 200
expect_rc 0
compare dwarf.data
run "$HWPROF" report -i dwarf.data --sort dso --top 1
expect_grep "$TMP/out" "libz\.so"

# zstd-compressed recordings (perf record -z), which perf 6.1 also reads.
if perf record -q -z -g -o z.data -- "$WORKLOADS/split" 5 >/dev/null 2>&1 &&
	perf report -i z.data --header-only 2>/dev/null | grep -q 'compressed : Zstd'; then
	compare z.data
else
	echo "note: this perf cannot write compressed files; the -z case was not run"
fi

# Pipe mode: perf record -o - read from standard input.
perf record -q -o - -- "$WORKLOADS/split" 5 2>/dev/null >piped.data || skip "perf cannot record to a pipe here"
perf_syms piped.data >perf.syms
"$HWPROF" report -i - --json --sort sym --percent-limit 0 <piped.data >piped.json || fail "reading a pipe failed"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["events"][0]["samples"])' piped.json >piped.n
[ "$(cat piped.n)" -eq "$(awk '{ s += $2 } END { print s }' perf.syms)" ] || fail "pipe mode: $(cat piped.n) samples, perf $(awk '{ s += $2 } END { print s }' perf.syms)"
echo "PASS: report interop"
