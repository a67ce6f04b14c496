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

# A part of a test that cannot run here: said at once, and the test ends
# with finish, which then reports SKIP (77) rather than a PASS it did not earn.
skip_part() {
	echo "part not run: $*"
	echo "$*" >>"$TMP/.skipped-parts"
}

# The last line of a test that used skip_part: PASS, or SKIP naming what did not run.
finish() { # PASS-MESSAGE
	if [ -s "$TMP/.skipped-parts" ]; then
		echo "SKIP: the rest passed, but not run: $(paste -sd ';' "$TMP/.skipped-parts")"
		exit 77
	fi
	echo "PASS: $*"
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

# --- perf.data checks through perf itself, the reference reader ---------

need_perf() {
	command -v perf >/dev/null 2>&1 || skip "perf is not installed"
	perf --version >/dev/null 2>&1 || skip "perf does not run here"
}

# perf report and perf script must read FILE with exit 0 and no complaint.
perf_reads() { # FILE
	perf report -i "$1" --stdio >"$TMP/perf-report.out" 2>"$TMP/perf-report.err" \
		|| fail "perf report failed on $1: $(head -5 "$TMP/perf-report.err")"
	perf script -i "$1" >"$TMP/perf-script.out" 2>"$TMP/perf-script.err" \
		|| fail "perf script failed on $1: $(head -5 "$TMP/perf-script.err")"
	for f in "$TMP/perf-report.err" "$TMP/perf-script.err"; do
		if grep -qi 'warn\|error\|corrupt\|invalid\|fail\|unsupported\|lost' "$f"; then
			fail "perf complains about $1: $(head -5 "$f")"
		fi
	done
}

# Samples per symbol of the sampled instruction: "COUNT SYMBOL" lines.
perf_top_symbols() { # FILE
	perf script -G -F ip,sym -i "$1" 2>/dev/null | awk 'NF >= 2 { n[$2]++ } END { for (s in n) print n[s], s }' | sort -rn
}

# Number of samples perf reads in FILE.
perf_sample_count() { # FILE
	perf script -G -F ip -i "$1" 2>/dev/null | awk 'NF { n++ } END { print n + 0 }'
}

# The sample count from hwprof record's summary line on stderr.
record_summary_samples() { # STDERR-FILE
	sed -n 's/^hwprof record: \([0-9]*\) samples.*/\1/p' "$1"
}

# CPU time (user + system) process PID has used, in milliseconds.
cpu_ms() { # PID
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$1/stat"
}
