#!/bin/sh
# Every command has a manual page with the required sections, and man(1) renders them without warnings.
. "$TOP_SRCDIR/tests/integration/lib.sh"

command -v man >/dev/null 2>&1 || skip "man(1) is not installed"
mandir="$TOP_SRCDIR/man"

commands=$("$HWPROF" --help | awk '/^commands:/ { on = 1; next } on && /^   [a-z]/ { print $1 }')
[ -n "$commands" ] || fail "no commands listed by --help"
for c in $commands; do
	[ -f "$mandir/hwprof-$c.1" ] || fail "command '$c' has no man/hwprof-$c.1"
done

for page in "$mandir"/*.1; do
	MANWIDTH=80 man --warnings -l "$page" >"$TMP/rendered" 2>"$TMP/warnings" || fail "man failed on $page"
	[ ! -s "$TMP/warnings" ] || fail "man warns on $page: $(cat "$TMP/warnings")"
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT EXAMPLES 'EXIT STATUS' ENVIRONMENT FILES 'SEE ALSO'; do
		grep -q "^\.SH \"*$section\"*\$" "$page" || fail "$page lacks section $section"
	done
done

# Every option of a command's table (its -h text is made from it) is in its page.
for c in $commands; do
	"$HWPROF" "$c" -h >"$TMP/help" || fail "hwprof $c -h failed"
	for opt in $(sed -n 's/^ \{4,8\}\(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p' "$TMP/help"); do
		esc=$(printf '%s' "$opt" | sed 's/-/\\-/g')	# roff spells - as \-
		grep -qF -e "\\-\\-$esc" -e "--$opt" "$mandir/hwprof-$c.1" ||
			fail "hwprof-$c.1 does not document --$opt"
	done
done

# The recipes people come for are in the stat page.
for recipe in 'hot spots' 'misses the cache\|limited by cache misses' 'by pid for 30 seconds' \
	'before and after' 'without a PMU' 'perf_event_paranoid'; do
	grep -qi "$recipe" "$mandir/hwprof-stat.1" || fail "hwprof-stat.1 lacks the recipe '$recipe'"
done
echo "PASS: man pages"
