#!/bin/sh
# CSV and JSON output parse, carry the same numbers as the table, and go where -o says.
. "$TOP_SRCDIR/tests/integration/lib.sh"

# CSV: ten fields on every line, whatever the event's status.
run "$HWPROF" stat -x, -- "$WORKLOADS/touch_pages" 3000
expect_rc 0
grep -v '^hwprof: note:' "$TMP/err" >"$TMP/csv"
[ "$(wc -l <"$TMP/csv")" -eq 10 ] || fail "default set is not 10 CSV lines: $(cat "$TMP/csv")"
awk -F, 'NF != 10 { print "line " NR " has " NF " fields: " $0; bad = 1 } END { exit bad }' "$TMP/csv" \
	|| fail "CSV field count"
pf=$(csv_value "$TMP/csv" page-faults)
[ "$pf" -ge 3000 ] || fail "CSV page-faults $pf"

# Another separator, and the results in a file while stderr stays quiet.
run "$HWPROF" stat -x ';' -o "$TMP/out.csv" -e page-faults,task-clock -- "$WORKLOADS/touch_pages" 1000
expect_rc 0
[ ! -s "$TMP/err" ] || fail "stderr not empty with -o: $(cat "$TMP/err")"
awk -F';' '$3 == "page-faults" && $1 >= 1000 { ok = 1 } END { exit !ok }' "$TMP/out.csv" \
	|| fail "page-faults not in $TMP/out.csv: $(cat "$TMP/out.csv")"

# JSON: one document, parsed by a real parser, consistent with the run.
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to parse JSON"
run "$HWPROF" stat --json -o "$TMP/out.json" -- "$WORKLOADS/exit_with" 4
expect_rc 4
python3 - "$TMP/out.json" <<'PY' || fail "JSON check failed"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["exit_status"] == 4, doc["exit_status"]
assert doc["runs"] == 1
assert doc["elapsed_s"] > 0
names = [e["event"] for e in doc["events"]]
assert names[:4] == ["task-clock", "context-switches", "cpu-migrations", "page-faults"], names
tc = doc["events"][0]
assert tc["status"] == "counted" and tc["unit"] == "msec" and tc["value"] > 0, tc
assert tc["metrics"][0]["unit"] == "CPUs utilized", tc
for e in doc["events"]:
    assert e["status"] in ("counted", "not supported", "not counted"), e
    if e["status"] != "counted":
        assert e["value"] is None and e.get("reason") is None or isinstance(e.get("reason"), str)
PY

run "$HWPROF" stat -j -r 2 -e page-faults -- "$WORKLOADS/touch_pages" 500
expect_rc 0
python3 -c 'import json,sys; d=json.load(sys.stdin); e=d["events"][0]; assert d["runs"]==2 and e["value"]>=500 and e["stddev_pct"] is not None, d' <"$TMP/err" \
	|| fail "JSON with -r: $(cat "$TMP/err")"

run "$HWPROF" stat -x, --json -- true
expect_rc 2
expect_grep "$TMP/err" '-x and --json cannot be combined'
echo "PASS: formats"
