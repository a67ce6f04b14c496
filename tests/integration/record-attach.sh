#!/bin/sh
# record -p of a running process and -a of the whole system.
. "$TOP_SRCDIR/tests/integration/lib.sh"
need_perf
cd "$TMP"

"$WORKLOADS/spin" 20000 &
spinner=$!
trap 'kill $spinner 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.1

before=$(cpu_ms $spinner)
run "$HWPROF" record -o pid.data -p $spinner -- sleep 0.5
after=$(cpu_ms $spinner)
expect_rc 0
perf_reads pid.data
# Started before recording: its name and code come from synthesized records.
perf script -G -F comm,pid,ip,sym -i pid.data | awk -v p=$spinner '$2 == p { print $1, $4 }' | sort | uniq -c | sort -rn >top
head -1 top | grep -q 'spin burn' || fail "pid samples not attributed to spin's burn(): $(head -3 top)"
n=$(awk '{ s += $1 } END { print s + 0 }' top)
# 4 samples per CPU millisecond at 4 kHz, less what start and stop cost.
used=$((after - before))
[ "$n" -ge $((used * 4 * 7 / 10)) ] || fail "only $n samples of a process that used $used ms of CPU at 4 kHz"
[ "$n" -ge 100 ] || fail "only $n samples"

# -p ends by itself when the process exits.
"$WORKLOADS/spin" 300 &
short=$!
run timeout 20 "$HWPROF" record -o short.data -p $short
expect_rc 0
perf_reads short.data

# -t TID: one thread of a multi-threaded process, and only it.
"$WORKLOADS/threads" 3 4000 &
threaded=$!
sleep 0.3
tid=$(ls /proc/$threaded/task | grep -v "^$threaded\$" | head -1)
run "$HWPROF" record -o tid.data -t "$tid" -- sleep 0.5
kill $threaded 2>/dev/null || true
expect_rc 0
perf_reads tid.data
perf script -G -F tid -i tid.data | sort -u | tr -d ' ' >tids
[ "$(cat tids)" = "$tid" ] || fail "record -t $tid sampled threads: $(tr '\n' ' ' <tids)"
[ "$(perf_sample_count tid.data)" -ge 50 ] || fail "too few samples of the busy thread $tid"

run "$HWPROF" record -a -o all.data -- sleep 0.3
if [ $rc -ne 0 ] && grep -q 'permission denied' "$TMP/err"; then
	skip "system-wide sampling is not allowed here"
fi
expect_rc 0
perf_reads all.data
perf script -G -F pid -i all.data | grep -qw $spinner || fail "system-wide recording missed the spinning process"
echo "PASS: record attach"
