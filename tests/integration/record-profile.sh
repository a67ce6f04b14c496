#!/bin/sh
# record on programs with known profiles: a 60/30/10 split, threads, fork+exec, a shared-library hot spot.
. "$TOP_SRCDIR/tests/integration/lib.sh"
need_perf
cd "$TMP"

# 60/30/10: each function's share within 5 points.
run "$HWPROF" record -o split.data -- "$WORKLOADS/split"
expect_rc 0
expect_grep "$TMP/err" "^hwprof record: [0-9]* samples .*0 lost, .* written to 'split.data'$"
perf_reads split.data
total=$(perf_sample_count split.data)
ours=$(record_summary_samples "$TMP/err")
[ "$total" -eq "$ours" ] || fail "perf reads $total samples, hwprof record says $ours"
[ "$total" -ge 300 ] || fail "only $total samples of a CPU-bound run"
perf_top_symbols split.data >syms
for pair in sixty:60 thirty:30 ten:10; do
	sym=${pair%:*} want=${pair#*:}
	n=$(awk -v s="$sym" '$2 == s { print $1 }' syms)
	pct=$(awk -v n="${n:-0}" -v t="$total" 'BEGIN { printf "%.1f", 100 * n / t }')
	fcmp "$pct" ">=" $((want - 5)) || fail "$sym has $pct% of samples, want $want +-5: $(cat syms)"
	fcmp "$pct" "<=" $((want + 5)) || fail "$sym has $pct% of samples, want $want +-5: $(cat syms)"
done

# ... and hwprof report reads the same shares.
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
"$HWPROF" report -i split.data --sort sym --json --percent-limit 0 >split.json || fail "report failed"
python3 - split.json <<'PY' || fail "report's shares are not 60/30/10"
import json, sys
d = json.load(open(sys.argv[1])); ev = d["events"][0]["name"]
pct = {r["symbol"]: r["events"][ev]["percent"] for r in d["rows"]}
for sym, want in (("sixty", 60), ("thirty", 30), ("ten", 10)):
    assert abs(pct.get(sym, 0) - want) <= 5, (sym, pct.get(sym))
PY

# Threads: every worker thread has its samples.
run "$HWPROF" record -o threads.data -- "$WORKLOADS/threads" 4 150
expect_rc 0
perf_reads threads.data
perf script -G -F tid -i threads.data | awk '{ n[$1]++ } END { for (t in n) if (n[t] >= 100) busy++; print busy + 0 }' >busy
[ "$(cat busy)" -eq 4 ] || fail "$(cat busy) of 4 threads have 100+ samples: $(perf script -G -F tid -i threads.data | sort | uniq -c)"

# fork + exec: the child is followed and named after what it execs.
run "$HWPROF" record -o fork.data -- "$WORKLOADS/forkexec" "$WORKLOADS/spin" 200
expect_rc 0
perf_reads fork.data
perf script -G -F comm,ip,sym -i fork.data | awk '{ print $1, $3 }' | sort | uniq -c | sort -rn >comms
grep -q ' spin burn' comms || fail "the exec'd child's function is not attributed to comm 'spin': $(head comms)"
grep -q ' forkexec parent_work' comms || fail "the parent's function is missing: $(head comms)"
spin_n=$(awk '$2 == "spin" { s += $1 } END { print s + 0 }' comms)
[ "$spin_n" -ge 100 ] || fail "only $spin_n samples in the child"

# A hot spot in a shared library is attributed to that library.
run "$HWPROF" record -o lib.data -- "$WORKLOADS/libhot" 300
expect_rc 0
perf_reads lib.data
perf script -G -F ip,dso -i lib.data | awk '{ print $2 }' | sort | uniq -c | sort -rn >dsos
head -1 dsos | grep -q 'libz\.so' || fail "top DSO is not libz: $(head -3 dsos)"
perf buildid-list -i lib.data >bids 2>&1 || fail "perf buildid-list failed: $(cat bids)"
grep -q 'libz\.so' bids || fail "no build id for libz, which got the samples: $(cat bids)"
# ...and it is the library's real build id.
libz=$(awk '/libz\.so/ { print $2; exit }' bids)
expected=$(file -L "$libz" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
if [ -n "$expected" ]; then
	grep -q "^$expected $libz\$" bids || fail "build id of $libz is not $expected: $(cat bids)"
fi
echo "PASS: record profiles"
