#!/bin/sh
# Leader-sampled groups: live with software events (as perf report --group shows them), and per-function
# IPC and MPKI exactly on a synthesized PMU recording.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"
cd "$TMP"

# Synthesized: 60/30/10 samples in sixty/thirty/ten of the split workload, each sample
# carrying known cycles/instructions/cache-misses deltas.
"$TOP_BUILDDIR/tests/tools/mkgroupdata" "$WORKLOADS/split" pmu.data || fail "could not synthesize pmu.data"
run "$HWPROF" report -i pmu.data --json --sort sym
expect_rc 0
python3 - "$TMP/out" <<'PY' || fail "per-function metrics are wrong"
import json, sys
d = json.load(open(sys.argv[1]))
want = {"sixty": (2.0, 5.0, 60), "thirty": (0.5, 50.0, 30), "ten": (1.0, 0.0, 10)}
rows = {r["symbol"]: r for r in d["rows"]}
bad = False
for sym, (ipc, mpki, pct) in want.items():
    r = rows.get(sym)
    if not r:
        print("missing row", sym); bad = True; continue
    m = r["metrics"]
    if abs(m["ipc"] - ipc) > 1e-9 or abs(m["mpki"] - mpki) > 1e-9:
        print(sym, "metrics", m, "want ipc", ipc, "mpki", mpki); bad = True
    if abs(r["events"]["cycles"]["percent"] - pct) > 1e-9:
        print(sym, "cycles share", r["events"]["cycles"]["percent"], "want", pct); bad = True
ev = {e["name"]: e for e in d["events"]}
if ev["cycles"]["samples"] != 100 or ev["instructions"]["period_total"] != 60*2000 + 30*500 + 10*1000:
    print("event totals", ev); bad = True
sys.exit(bad)
PY
run "$HWPROF" report -i pmu.data --sort sym
expect_rc 0
expect_grep "$TMP/out" "cycles instructions cache-misses    IPC    MPKI  Samples  Symbol"
grep -q '^ *60.00% *82.76% *44.44% *2.00 *5.00 *60  \[.\] sixty$' "$TMP/out" || fail "table row for sixty: $(cat "$TMP/out")"
if command -v perf >/dev/null 2>&1; then
	perf report -i pmu.data --stdio --group >perf.out 2>perf.err || fail "perf cannot read the synthesized file: $(head -3 perf.err)"
fi

# Live: a group of software events sampled on its leader.
need_perf
run "$HWPROF" record -e '{cpu-clock,task-clock,page-faults}:S' -o grp.data -- "$WORKLOADS/touch_pages" 20000
expect_rc 0
expect_grep "$TMP/err" "cpu-clock:S: [0-9]*, task-clock:S: 0, page-faults:S: 0"
perf_reads grp.data
run "$HWPROF" report -i grp.data --json --percent-limit 0
expect_rc 0
python3 - "$TMP/out" <<'PY' || fail "group totals are wrong"
import json, sys
d = json.load(open(sys.argv[1]))
ev = {e["name"]: e for e in d["events"]}
# Deltas are attributed up to the last sample: faults after it are in no sample.
assert 18000 <= ev["page-faults:S"]["period_total"] <= 21000, ev
assert abs(ev["task-clock:S"]["period_total"] / ev["cpu-clock:S"]["period_total"] - 1) < 0.05, ev
PY
# Same shares as perf report --group for the top rows.
perf report -i grp.data --stdio --group --no-children --percent-limit 1 2>/dev/null |
	awk '/^ +[0-9.]+%/ { print $1, $2, $3, $NF }' | head -3 >perf.rows
"$HWPROF" report -i grp.data --percent-limit 1 | awk '/^ +[0-9.]+%/ { print $1, $2, $3, $NF }' | head -3 >ours.rows
[ -s perf.rows ] || fail "perf shows no group rows"
diff perf.rows ours.rows >/dev/null || fail "group shares differ from perf: $(paste perf.rows ours.rows)"
echo "PASS: groups"
