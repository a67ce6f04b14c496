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

# A file size limit: a clear error, and no file pretending to be complete.
run sh -c "ulimit -f 64; exec \"$HWPROF\" record -g -o big.data -- \"$WORKLOADS/spin\" 3000"
expect_rc 1
expect_grep "$TMP/err" "^hwprof record: cannot write 'big.data': File too large$"
[ ! -e big.data ] || fail "a truncated big.data was left behind"

# A full file system, where one can be made.
if [ "$(id -u)" -eq 0 ] && mkdir small && mount -t tmpfs -o size=256k tmpfs small 2>/dev/null; then
	run "$HWPROF" record -g -o small/full.data -- "$WORKLOADS/spin" 3000
	umount small
	expect_rc 1
	expect_grep "$TMP/err" "^hwprof record: cannot write 'small/full.data': No space left on device$"
else
	echo "note: no tmpfs could be mounted; the ENOSPC case was not run"
fi

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
echo "PASS: record errors"
