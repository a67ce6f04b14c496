# Shared helpers for integration tests; sourced, not run.
# Environment from Makefile.am: HWPROF, WORKLOADS, TOP_SRCDIR, TOP_BUILDDIR.
set -u

: "${HWPROF:?run through make check}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hwprof-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# Runs a command, capturing stdout, stderr and the exit status in $TMP/out,
# $TMP/err and $rc. Never aborts the test.
run() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit status $1, got $rc${2:+ ($2)}; stderr: $(head -c 600 "$TMP/err")"
}

expect_grep() { # FILE PATTERN
	grep -q -e "$2" "$1" || fail "'$2' not in $1: $(head -c 800 "$1")"
}

expect_no_grep() { # FILE PATTERN
	if grep -q -e "$2" "$1"; then fail "'$2' unexpectedly in $1: $(grep -e "$2" "$1" | head -3)"; fi
}

# Value of EVENT in a `stat -x,` file.
csv_value() { # FILE EVENT
	awk -F, -v ev="$2" '$3 == ev { print $1; found = 1 } END { if (!found) exit 1 }' "$1"
}

# True when this kernel can count hardware events for us.
have_pmu() {
	"$HWPROF" stat -e cycles:u -o /dev/null -- true >/dev/null 2>&1
}

# Floating-point comparison: fcmp A OP B, OP one of < <= > >=.
fcmp() {
	awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		r = (op == "<") ? a < b : (op == "<=") ? a <= b : (op == ">") ? a > b : a >= b;
		exit !r }'
}

set -e
