#!/bin/sh
# Dispatch, help, version and usage errors of the hwprof binary.
. "$TOP_SRCDIR/tests/integration/lib.sh"

run "$HWPROF" --version
expect_rc 0
expect_grep "$TMP/out" '^hwprof [0-9][0-9.]*$'

run "$HWPROF"
expect_rc 2 "no command"
expect_grep "$TMP/err" 'usage: hwprof'

run "$HWPROF" frobnicate
expect_rc 2 "unknown command"
expect_grep "$TMP/err" "'frobnicate' is not a hwprof command"

run "$HWPROF" --help
expect_rc 0
expect_grep "$TMP/out" 'stat'
expect_grep "$TMP/out" 'list'

run "$HWPROF" stat -h
expect_rc 0
expect_grep "$TMP/out" '^usage: hwprof stat'
expect_grep "$TMP/out" 'EXAMPLES'

# Usage texts are printed as they are, not as printf formats: no '%%' in them.
for c in stat record report annotate diff list; do
	run "$HWPROF" $c -h
	expect_rc 0
	expect_no_grep "$TMP/out" '%%'
done

# help shows the man page through man(1), or the usage text without it.
run env MANPAGER=cat PAGER=cat "$HWPROF" help stat
expect_rc 0
grep -q 'hwprof stat' "$TMP/out" || grep -q 'HWPROF-STAT' "$TMP/out" || fail "help stat showed: $(head -5 "$TMP/out")"
run env PATH=/nonexistent "$HWPROF" help stat
expect_rc 0
expect_grep "$TMP/out" '^usage: hwprof stat'

run "$HWPROF" help nosuchcmd
expect_rc 2
expect_grep "$TMP/err" "unknown command 'nosuchcmd'"

run "$HWPROF" stat
expect_rc 2 "stat without a command"
expect_grep "$TMP/err" 'no command given'

run "$HWPROF" stat --bogus -- true
expect_rc 2
expect_grep "$TMP/err" "unknown option '--bogus'"

run "$HWPROF" stat -e
expect_rc 2
expect_grep "$TMP/err" "option '-e' needs a value"

run "$HWPROF" stat -r 0 -- true
expect_rc 2
expect_grep "$TMP/err" "invalid repeat count '0'"

run "$HWPROF" stat -p 1 -a
expect_rc 2
expect_grep "$TMP/err" '-p and -a cannot be combined'

run "$HWPROF" stat -e cycels -- true
expect_rc 1 "misspelt event"
expect_grep "$TMP/err" "^hwprof stat: invalid event 'cycels': unknown event 'cycels' (did you mean 'cycles'?"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "error is not one line: $(cat "$TMP/err")"

run "$HWPROF" stat -e '{cycles,instructions' -- true
expect_rc 1
expect_grep "$TMP/err" "missing '}'"

run "$HWPROF" stat -o /nonexistent/dir/out -- true
expect_rc 1
expect_grep "$TMP/err" "cannot open '/nonexistent/dir/out': No such file or directory"
# Every command tells a missing value from an unknown option, short or long.
for c in "stat -e:needs a value" "stat -Z:unknown option '-Z'" "record --call-graph:needs a value" \
	"record --bogus:unknown option '--bogus'" "report --top:needs a value" "report -q:unknown option '-q'" \
	"annotate --event:needs a value" "diff -i:unknown option '-i'" "diff --fail-above:needs a value"; do
	args=${c%%:*} want=${c#*:}
	run "$HWPROF" $args
	expect_rc 2 "hwprof $args"
	expect_grep "$TMP/err" "$want"
done
echo "PASS: cli"
