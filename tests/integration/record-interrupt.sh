#!/bin/sh
# A recording ended by Ctrl-C, SIGTERM, or the target dying is complete and valid.
. "$TOP_SRCDIR/tests/integration/lib.sh"
need_perf
cd "$TMP"

# Starts `hwprof record` on a long spin in the background; sets $rec_pid.
start_long() { # OUTPUT [setsid]
	if [ "${2:-}" = setsid ]; then
		setsid "$HWPROF" record -g -o "$1" -- "$WORKLOADS/spin" 20000 >/dev/null 2>"$1.err" &
	else
		"$HWPROF" record -g -o "$1" -- "$WORKLOADS/spin" 20000 >/dev/null 2>"$1.err" &
	fi
	rec_pid=$!
	# Wait until samples flow (the header checkpoint is written each second).
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -s "$1" ] && break
		sleep 0.1
	done
	sleep 0.8
}

finish() { # OUTPUT -> waits, checks the file, prints the exit status
	set +e
	wait $rec_pid
	st=$?
	set -e
	perf_reads "$1"
	n=$(perf_sample_count "$1")
	[ "$n" -gt 50 ] || fail "$1: only $n samples after an interrupted run"
	grep -q "^hwprof record: $n samples" "$1.err" || fail "$1: summary disagrees with perf's $n samples: $(cat "$1.err")"
	echo $st >"$1.status"
}

# SIGINT to hwprof alone: the workload is stopped, the file completed.
start_long int.data
kill -INT $rec_pid
finish int.data
[ "$(cat int.data.status)" -eq 143 ] || fail "SIGINT to hwprof: exit $(cat int.data.status), want 143 (workload got SIGTERM)"

# SIGTERM to hwprof.
start_long term.data
kill -TERM $rec_pid
finish term.data

# Ctrl-C at a terminal: SIGINT to the whole process group.
command -v setsid >/dev/null 2>&1 || skip "setsid (util-linux) is not installed"
start_long pgrp.data setsid
sleep 0.2
pgid=$(ps -o pgid= -p $rec_pid | tr -d ' ')
env kill -s INT -- -"$pgid"
finish pgrp.data
[ "$(cat pgrp.data.status)" -eq 130 ] || fail "Ctrl-C: exit $(cat pgrp.data.status), want 130"

# The target crashes: its status is passed on and the file is complete.
run "$HWPROF" record -g -o crash.data -- "$WORKLOADS/crash" 300
expect_rc 139
expect_grep "$TMP/err" "terminated by signal 11 (Segmentation fault)"
perf_reads crash.data
perf_top_symbols crash.data | head -1 | grep -q spin_then_crash || fail "crash.data: $(perf_top_symbols crash.data | head -3)"

# A target that exits at once still leaves a valid, if nearly empty, file.
run "$HWPROF" record -o quick.data -- true
expect_rc 0
perf report -i quick.data --stdio >/dev/null 2>&1 || fail "perf cannot read the recording of 'true'"

# SIGKILL of hwprof itself cannot be handled, but the last checkpoint is readable.
start_long kill.data
sleep 1.2
workload=$(pgrep -P $rec_pid) || fail "no workload under hwprof"
kill -KILL $rec_pid
wait $rec_pid 2>/dev/null || true
kill $workload 2>/dev/null || true
perf script -i kill.data >/dev/null 2>kill.err || fail "perf cannot read a file whose writer was killed: $(head -3 kill.err)"
n=$(perf_sample_count kill.data)
[ "$n" -gt 50 ] || fail "only $n samples survived SIGKILL"
echo "PASS: interruptions"
