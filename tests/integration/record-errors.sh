#!/bin/sh
# record's failures: clear one-line errors, the right exit status, no half-written file left behind.
. "$TOP_SRCDIR/tests/integration/lib.sh"
cd "$TMP"

run "$HWPROF" record -o missing.data -- nonexistent-command-xyz
expect_rc 127
expect_grep "$TMP/err" "^hwprof record: cannot run 'nonexistent-command-xyz': No such file or directory$"
[ ! -e missing.data ] || fail "a file was left for a command that never ran"

run "$HWPROF" record -o /nonexistent/dir/x.data -- true
expect_rc 1
expect_grep "$TMP/err" "^hwprof record: cannot create '/nonexistent/dir/x.data': No such file or directory$"

mkdir adir
run "$HWPROF" record -o adir -- true
expect_rc 1
expect_grep "$TMP/err" "cannot create 'adir': exists and is not a regular file"

# An existing output is kept as .old; the new one is private.
echo old >prev.data
run "$HWPROF" record -o prev.data -- true
expect_rc 0
[ "$(cat prev.data.old)" = old ] || fail "the previous file was not kept as prev.data.old"
[ "$(stat -c %a prev.data)" = 600 ] || fail "output mode is $(stat -c %a prev.data), want 600"

# A symlink planted at the output path is moved aside, never written through.
echo precious >target
ln -s target link.data
run "$HWPROF" record -o link.data -- true
expect_rc 0
[ "$(cat target)" = precious ] || fail "record wrote through a symlink"
[ -L link.data.old ] || fail "the symlink was not moved aside"
[ ! -L link.data ] || fail "the output is still a symlink"

# A file size limit: a clear error, the records written whole kept and
# readable, the workload left to finish its own work.
run sh -c "ulimit -f 256; exec \"$HWPROF\" record -g -o big.data -- sh -c '\"$WORKLOADS/spin\" 2000; echo finished >done.txt'"
expect_rc 1
expect_grep "$TMP/err" "^hwprof record: cannot write 'big.data': File too large: kept the [0-9.]* KB"
expect_grep "$TMP/err" "goes on to its end, no longer recorded"
[ -f done.txt ] || fail "the workload did not run to its end after the write error"
"$HWPROF" report -i big.data >big.txt 2>big.err || fail "the kept part does not read: $(cat big.err)"
grep -q 'spin' big.txt || fail "the kept part has no spin samples: $(head big.txt)"
if command -v perf >/dev/null 2>&1; then
	perf report -i big.data --stdio >/dev/null 2>perf.err || fail "perf cannot read the kept part: $(head -3 perf.err)"
fi

# A full file system, where one can be made.
if [ "$(id -u)" -eq 0 ] && mkdir small && mount -t tmpfs -o size=256k tmpfs small 2>/dev/null; then
	run "$HWPROF" record -g -o small/full.data -- "$WORKLOADS/spin" 3000
	expect_rc 1
	expect_grep "$TMP/err" "^hwprof record: cannot write 'small/full.data': No space left on device: kept the"
	"$HWPROF" report -i small/full.data >full.txt 2>&1 || { umount small; fail "the kept part does not read: $(head -3 full.txt)"; }
	umount small
	grep -q 'spin' full.txt || fail "the kept part has no spin samples"
else
	skip_part "no tmpfs could be mounted: the ENOSPC case"
fi

# Two records to one path at once: the second refuses before it samples.
"$HWPROF" record -q -o busy.data -- "$WORKLOADS/spin" 1500 &
first=$!
sleep 0.5
run "$HWPROF" record -o busy.data -- true
expect_rc 1
expect_grep "$TMP/err" "'busy.data' is being recorded by another hwprof record"
wait $first || fail "the first record failed"
[ ! -e busy.data.old ] || fail "the recording in progress was moved aside"
"$HWPROF" report -i busy.data >busy.txt 2>&1 || fail "the first recording does not read"
grep -q spin busy.txt || fail "the first recording lost its samples"

# A sample that cannot fit the ring is refused before sampling.
run "$HWPROF" record --call-graph dwarf,65528 -m 4 -o ring.data -- true
expect_rc 1
expect_grep "$TMP/err" "more than a ring of 4 pages (16 KB) holds: use -m 32 or more"
[ ! -e ring.data ] || fail "a file was left for a refused recording"

# Above the kernel's maximum rate: clamped with a note, as perf does.
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
run "$HWPROF" record -F $((max + 1)) -o fast.data -- true
expect_rc 0
expect_grep "$TMP/err" "above kernel.perf_event_max_sample_rate: sampling at $max Hz"

# -q: errors only.
run "$HWPROF" record -q -o quiet.data -- true
expect_rc 0
[ ! -s "$TMP/err" ] || fail "-q printed: $(cat "$TMP/err")"

# -o -: a pipe-mode stream on standard output that report and perf read.
"$HWPROF" record -q -g -o - -- "$WORKLOADS/spin" 300 >stream.data || fail "record -o - failed"
[ "$(head -c 8 stream.data)" = PERFILE2 ] || fail "no stream on standard output"
"$HWPROF" record -q -g -o - -- "$WORKLOADS/spin" 300 | "$HWPROF" report -i - >piped.txt 2>piped.err \
	|| fail "record -o - | report -i - failed: $(cat piped.err)"
grep -q '(pipe mode)' piped.txt || fail "report did not read a pipe"
grep -q 'spin' piped.txt || fail "no spin samples through the pipe"
[ ! -s piped.err ] || fail "report of a live stream noted: $(cat piped.err)"
if command -v perf >/dev/null 2>&1; then
	perf report -i stream.data --stdio >perf-pipe.txt 2>perf-pipe.err || fail "perf cannot read the stream"
	grep -q 'burn' perf-pipe.txt || fail "perf finds no burn in the stream"
fi
[ ! -e ./- ] || fail "record -o - wrote a file named -"

run "$HWPROF" record -p 4194303 -o nopid.data
expect_rc 1
expect_grep "$TMP/err" "cannot attach to pid 4194303: no such process"
[ ! -e nopid.data ] || fail "a file was left for a pid that does not exist"

run "$HWPROF" record -o x.data
expect_rc 2
expect_grep "$TMP/err" "no command given"
run "$HWPROF" record -F 0 -- true
expect_rc 2
run "$HWPROF" record -m 3 -- true
expect_rc 2
expect_grep "$TMP/err" "want a power of two"
run "$HWPROF" record -p 1 -a -- true
expect_rc 2

if ! have_pmu; then
	# Without a PMU: the default falls back to cpu-clock, a named hardware event is an error.
	run "$HWPROF" record -o fallback.data -- "$WORKLOADS/spin" 100
	expect_rc 0
	expect_grep "$TMP/err" "note: this kernel has no hardware PMU .*sampling cpu-clock instead of cycles"
	expect_grep "$TMP/err" "(cpu-clock: [0-9]*)"
	run "$HWPROF" record -e cycles -o hw.data -- touch ran
	expect_rc 1
	expect_grep "$TMP/err" "^hwprof record: cannot sample 'cycles': this kernel has no hardware PMU"
	[ ! -e hw.data ] || fail "a file was left for an event that could not be opened"
	[ ! -e ran ] || fail "the command ran although nothing could be recorded"
	run "$HWPROF" record -e cache-misses -c 10000 -o hw.data -- true
	expect_rc 1
	expect_grep "$TMP/err" "cannot sample 'cache-misses'"
fi
finish "record errors"
