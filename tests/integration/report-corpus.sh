#!/bin/sh
# hwprof report reads every perf.data of the corpus (perf 3.2-4.16, x86_64, i686, armv7, pipe mode)
# with exactly the per-event sample and lost counts perf 6.1 reads, and refuses the corrupted one.
. "$TOP_SRCDIR/tests/integration/lib.sh"

corpus=
for d in "$TOP_SRCDIR/../shared/perfdata-corpus" "$TOP_SRCDIR/../../shared/perfdata-corpus" \
	"${HWPROF_CORPUS:-/nonexistent}"; do
	[ -f "$d/PERF-6.1-READS.txt" ] && corpus=$d && break
done
[ -n "$corpus" ] || skip "the perf.data corpus (shared/perfdata-corpus) is not beside the source tree"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON report"

checked=0
while IFS='|' read -r file counts lost; do
	case "$file" in '#'*|'') continue ;; esac
	file=$(echo "$file" | tr -d ' ')
	counts=$(echo "$counts" | sed 's/^ *//; s/ *$//')
	lost=$(echo "$lost" | sed 's/^ *lost=//; s/ *$//')
	run timeout 60 "$HWPROF" report -i "$corpus/$file" --json --percent-limit 0
	[ $rc -ne 124 ] || fail "$file: report did not finish within 60 s"
	case "$counts" in
	*refuses*)
		expect_rc 1 "$file must be refused"
		[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "$file: not a one-line error: $(cat "$TMP/err")"
		expect_grep "$TMP/err" "^hwprof report: .*corrupt"
		;;
	*)
		expect_rc 0 "$file"
		python3 - "$TMP/out" "$counts" "$lost" "$file" <<'PY' || fail "$file: counts differ from perf 6.1's"
import json, sys
doc = json.load(open(sys.argv[1]))
want = dict(kv.strip().split("=") for kv in sys.argv[2].split(","))
got = {e["name"]: e["samples"] for e in doc["events"] if e["recorded"]}
bad = False
for name, n in want.items():
    if got.get(name) != int(n):
        print(f"{sys.argv[4]}: {name}: hwprof {got.get(name)}, perf {n}"); bad = True
for name, n in got.items():
    if name not in want and n != 0:
        print(f"{sys.argv[4]}: {name}: hwprof {n} samples, perf shows none"); bad = True
if doc["lost_samples"] != int(sys.argv[3]):
    print(f"{sys.argv[4]}: lost: hwprof {doc['lost_samples']}, perf {sys.argv[3]}"); bad = True
# Every row's samples add up to the event totals (nothing dropped on the way).
for i, e in enumerate(doc["events"]):
    rows = sum(r["events"][e["name"]]["samples"] for r in doc["rows"])
    if rows != e["samples"]:
        print(f"{sys.argv[4]}: {e['name']}: rows hold {rows} of {e['samples']} samples"); bad = True
sys.exit(bad)
PY
		;;
	esac
	checked=$((checked + 1))
done <"$corpus/PERF-6.1-READS.txt"
[ $checked -ge 15 ] || fail "only $checked corpus files checked"

# The table form reads them too, with per-event columns and derived metrics for the PMU files.
run "$HWPROF" report -i "$corpus/perf.data.i686-3.4" --top 5
expect_rc 0
expect_grep "$TMP/out" "cycles instructions cache-references cache-misses branches branch-misses    IPC    MPKI  BrMiss"
expect_grep "$TMP/out" "^# event 'cache-misses': 89 samples"
run "$HWPROF" report -i "$corpus/perf.data.armv7-3.4" --sort dso --top 3
expect_rc 0
expect_grep "$TMP/err" "no symbols for [0-9]* files that are not on this machine"
# Attrs larger than this build knows (perf 6.3+ writes 136 bytes, later more):
# the known prefix is read, and the report is the same.
for f in perf.data.i686-3.4 perf.data.lost_samples-4.4; do
	python3 "$TOP_SRCDIR/tests/tools/widen-attrs.py" "$corpus/$f" "$TMP/wide.data" 24 || fail "could not widen $f"
	"$HWPROF" report -i "$corpus/$f" --json --percent-limit 0 >"$TMP/narrow.json" 2>/dev/null
	run "$HWPROF" report -i "$TMP/wide.data" --json --percent-limit 0
	expect_rc 0 "$f with 24 more bytes per attr"
	python3 - "$TMP/narrow.json" "$TMP/out" <<'PY' || fail "$f reads differently with wider attrs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda d: ([(e["name"], e["samples"], e["period_total"]) for e in d["events"]], d["rows"])
sys.exit(strip(a) != strip(b))
PY
done
echo "PASS: corpus ($checked files)"
