#!/bin/sh
# stat passes the workload's exit status through: codes, signals, and commands that cannot run.
. "$TOP_SRCDIR/tests/integration/lib.sh"

ev=task-clock

run "$HWPROF" stat -e $ev -- "$WORKLOADS/exit_with" 0
expect_rc 0
expect_grep "$TMP/err" 'task-clock'

run "$HWPROF" stat -e $ev -- "$WORKLOADS/exit_with" 3
expect_rc 3

run "$HWPROF" stat -e $ev -- "$WORKLOADS/exit_with" 255
expect_rc 255

# Killed by a signal: 128+N, the counts still printed, and said in words.
run "$HWPROF" stat -e $ev -- "$WORKLOADS/exit_with" -11
expect_rc 139
expect_grep "$TMP/err" 'task-clock'
expect_grep "$TMP/err" "'.*exit_with' terminated by signal 11 (Segmentation fault)"

run "$HWPROF" stat -e $ev -- "$WORKLOADS/exit_with" -9
expect_rc 137

run "$HWPROF" stat -e $ev -- nonexistent-command-xyz
expect_rc 127
expect_grep "$TMP/err" "^hwprof stat: cannot run 'nonexistent-command-xyz': No such file or directory$"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than one line for a missing command: $(cat "$TMP/err")"

printf '#!/bin/sh\nexit 0\n' >"$TMP/noexec"
chmod 644 "$TMP/noexec"
run "$HWPROF" stat -e $ev -- "$TMP/noexec"
expect_rc 127
expect_grep "$TMP/err" "cannot run '.*noexec': Permission denied"

# A shell script is run through execvp like any command.
printf '#!/bin/sh\nexit 7\n' >"$TMP/script"
chmod 755 "$TMP/script"
run "$HWPROF" stat -e $ev -- "$TMP/script"
expect_rc 7

# With -r, every run happens and the last status is returned.
run "$HWPROF" stat -r 3 -e $ev -- "$WORKLOADS/exit_with" 5
expect_rc 5
expect_grep "$TMP/err" '(3 runs)'
echo "PASS: exit status"
