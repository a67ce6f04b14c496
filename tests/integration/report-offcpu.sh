#!/bin/sh
# Off-CPU and wall-clock time: record --off-cpu charges each wait, from a
# thread's switch-out to its switch-in, to the stack where it began; report
# splits it into blocked and runnable, against the program's own clock.
. "$TOP_SRCDIR/tests/integration/lib.sh"

# Off-CPU seconds of FUNCTION (inclusive) in the worker thread, and its wall.
offcpu_of() { # JSON FUNCTION
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r for r in d["rows"] if r["symbol"] == sys.argv[2]]
print(rows[0]["time_s"]["off_cpu"] if rows else 0)
PY
}

# What the program measured with clock_gettime around each wait.
measured() { # FIELD
	awk -v f="$1" '/^worker:/ { for (i = 2; i < NF; i += 2) if ($i == f) print $(i + 1) }' "$TMP/prog"
}

check_split() { # MODE (-g or --call-graph dwarf)
	run "$HWPROF" record -q --off-cpu $1 -o "$TMP/oc.data" -- "$WORKLOADS/waits" 90 9
	expect_rc 0 "record --off-cpu $1"
	cp "$TMP/out" "$TMP/prog"
	run "$HWPROF" report -i "$TMP/oc.data" --comm worker --sort sym --children --json
	expect_rc 0
	cp "$TMP/out" "$TMP/oc.json"
	blocked=$(python3 -c "import json; d = json.load(open('$TMP/oc.json')); print(d['off_cpu']['threads'][0]['blocked_s'])")
	own=$(awk -v s="$(measured sleep)" -v p="$(measured pipe)" -v f="$(measured futex)" 'BEGIN { print s + p + f }')
	# the thread's blocked time against its own account: within 5 %
	fcmp "$blocked" ">" "$(awk -v o="$own" 'BEGIN { print o * 0.95 }')" || fail "$1: blocked $blocked s, the program waited $own s"
	fcmp "$blocked" "<" "$(awk -v o="$own" 'BEGIN { print o * 1.05 }')" || fail "$1: blocked $blocked s, the program waited $own s"
	# each wait function a third of it, +- 3 points
	for fn in wait_sleep wait_pipe wait_futex; do
		t=$(offcpu_of "$TMP/oc.json" $fn)
		share=$(awk -v t="$t" -v b="$blocked" 'BEGIN { print 100 * t / b }')
		fcmp "$share" ">" 30.33 || fail "$1: $fn has $share % of the off-CPU time, want 33.3 +- 3"
		fcmp "$share" "<" 36.33 || fail "$1: $fn has $share % of the off-CPU time, want 33.3 +- 3"
	done
	# on-CPU: the compute tenth
	on=$(python3 -c "import json; d = json.load(open('$TMP/oc.json')); print(d['off_cpu']['threads'][0]['on_cpu_s'])")
	fcmp "$on" ">" "$(awk -v c="$(measured compute)" 'BEGIN { print c * 0.8 }')" || fail "$1: on-CPU $on s"
}

[ "$(id -u)" -eq 0 ] || skip "needs root: as a user the kernel takes no sample at a switch-out (checked below as nobody)"

check_split -g
# The table says where each thread's time went.
run "$HWPROF" report -i "$TMP/oc.data" --comm worker --sort sym
expect_rc 0
expect_grep "$TMP/out" "^# off-CPU: [0-9]* waits, each charged to the stack where it began"
expect_grep "$TMP/out" "worker/[0-9]*$"
expect_grep "$TMP/out" "Wall s  On-CPU s Off-CPU s Blocked s Runnable s"
check_split "--call-graph dwarf"

# What each wait waited on, from the kernel stack where it began.
run "$HWPROF" report -i "$TMP/oc.data" --comm worker --sort reason --json
expect_rc 0
python3 - "$TMP/out" <<'PY' || fail "reasons: $(cat "$TMP/out" | head -c 600)"
import json, sys
rows = {r["reason"]: r["time_s"]["off_cpu"] for r in json.load(open(sys.argv[1]))["rows"]}
total = sum(v for k, v in rows.items() if k in ("sleep", "pipe", "futex"))
for k in ("sleep", "pipe", "futex"):
    share = 100 * rows.get(k, 0) / total
    if not 30.33 < share < 36.33:
        sys.exit(f"{k}: {share:.1f} % of the waits")
PY
# Exports carry the weights: folded in microseconds, by wall time.
run "$HWPROF" report -i "$TMP/oc.data" --comm worker --event wall --format folded
expect_rc 0
expect_grep "$TMP/out" "^worker;.*;worker;wait_futex;syscall [0-9]*$"
expect_grep "$TMP/out" "^worker;.*;worker;compute [0-9]*$"
us=$(awk '/;wait_pipe;/ { s += $NF } END { print s }' "$TMP/out")
fcmp "$us" ">" 200000 || fail "wait_pipe has $us us in the folded wall profile"

# perf reads the file: the switch records and the switch-out samples.
if command -v perf >/dev/null 2>&1; then
	perf script -i "$TMP/oc.data" --show-switch-events >"$TMP/script" 2>"$TMP/perr" || fail "perf script: $(head -3 "$TMP/perr")"
	expect_grep "$TMP/script" "PERF_RECORD_SWITCH OUT"
	expect_grep "$TMP/script" "context-switches"
else
	skip_part "perf is not installed"
fi

# More CPU-hungry threads than CPUs: they wait in the run queue.
threads=$(($(nproc) * 2))
run "$HWPROF" record -q --off-cpu -o "$TMP/rq.data" -- "$WORKLOADS/hotspots" $threads 1500
expect_rc 0
run "$HWPROF" report -i "$TMP/rq.data" --json
expect_rc 0
runnable=$(python3 -c "import json,sys; d = json.load(open('$TMP/out')); print(sum(t['runnable_s'] for t in d['off_cpu']['threads']))")
fcmp "$runnable" ">" 0.3 || fail "$threads busy threads on $(nproc) CPUs were runnable $runnable s in all"

# As a user under perf_event_paranoid 2: no switch-out samples; the waits
# are still timed, charged to each thread's last on-CPU stack, and said so.
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
if [ "$paranoid" -ge 2 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$HWPROF"; then
	chmod 777 "$TMP"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$HWPROF" record --off-cpu -g -o "$TMP/user.data" -- "$WORKLOADS/waits" 30 9
	expect_rc 0
	expect_grep "$TMP/err" "note: --off-cpu as a user: the kernel takes no sample when a thread switches out"
	run "$HWPROF" report -i "$TMP/user.data" --comm worker --sort sym
	expect_rc 0
	expect_grep "$TMP/out" "each charged to the thread's last on-CPU sample (the recording has no sample at switch-outs: made as a user"
	blocked=$(awk '/worker\/[0-9]*$/ { print $4 }' "$TMP/out")
	fcmp "$blocked" ">" 0.2 || fail "as a user, the worker's blocked time is $blocked s"
else
	skip_part "user nobody under perf_event_paranoid 2 (it is $paranoid, or setpriv is missing)"
fi
finish "off-CPU and wall-clock time"
