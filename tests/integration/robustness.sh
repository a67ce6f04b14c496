#!/bin/sh
# Hostile and unusual input: crafted streams (tests/tools/mkbad.py), outputs
# that must not be clobbered, names longer than any buffer, quoting.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to write the crafted streams"
MKBAD="$TOP_SRCDIR/tests/tools/mkbad.py"
cd "$TMP"

json_get() { # FILE PYTHON-EXPRESSION-ON-d
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"
}

# --- a stream with no event: a one-line error from every command, no crash,
# and an existing output left as it was.
python3 "$MKBAD" header header.data
echo precious >keep.svg
for fmt in table json folded svg pprof; do
	run "$HWPROF" report -i header.data --format "$fmt" -o keep.svg
	expect_rc 1 "report --format $fmt of a header-only stream"
	expect_grep "$TMP/err" "describes no events"
	[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than one line for --format $fmt: $(cat "$TMP/err")"
	[ "$(cat keep.svg)" = precious ] || fail "--format $fmt clobbered the existing output"
done
run "$HWPROF" diff header.data header.data
expect_rc 1
expect_grep "$TMP/err" "describes no events"
run "$HWPROF" annotate -i header.data --top 1
expect_rc 1
expect_grep "$TMP/err" "describes no events"
[ -z "$(ls -A | grep '^\.keep\.svg\.')" ] || fail "a temporary output was left behind: $(ls -A)"

# --- an event described after samples of another were counted.
python3 "$MKBAD" lateattr late.data
run "$HWPROF" report -i late.data --json --percent-limit 0
expect_rc 0
cp "$TMP/out" late.json
[ "$(json_get late.json 'd["events"][1]["samples"]')" = 30 ] || fail "the late event's samples: $(head -c 400 late.json)"
[ "$(json_get late.json 'sum(r["events"]["r1:HG"]["samples"] for r in d["rows"])')" = 30 ] \
	|| fail "rows of the late event do not add up to its 30 samples"
run "$HWPROF" report -i late.data --format pprof -o late.pb.gz
expect_rc 0

# --- the first event has no samples (a hybrid CPU's cpu_atom): rank, export by the second.
for f in firstempty compressed2; do
	python3 "$MKBAD" $f $f.data
	run "$HWPROF" report -i $f.data
	expect_rc 0 "$f"
	expect_grep "$TMP/out" "rows ranked by 'cpu_core/cycles/' (the first event with samples)"
	grep -v '^#' "$TMP/out" | awk 'NF { print $NF }' >order
	[ "$(tr '\n' ' ' <order)" = "0x1200 0x1300 0x1100 " ] || fail "$f: rows not ranked by cpu_core: $(cat order)"
	run "$HWPROF" report -i $f.data --format folded
	expect_rc 0
	[ "$(awk '{ s += $NF } END { print s }' "$TMP/out")" = 100 ] || fail "$f: folded stacks lack the 100 samples"
	expect_grep "$TMP/err" "showing 'cpu_core/cycles/'"
	run "$HWPROF" report -i $f.data --event cpu_atom/cycles/ --format folded
	expect_rc 0
	[ ! -s "$TMP/out" ] || fail "--event cpu_atom/cycles/ should fold no sample"
done
if command -v go >/dev/null 2>&1; then
	"$HWPROF" report -i firstempty.data --format pprof -o fe.pb.gz 2>/dev/null || fail "pprof export"
	HOME=$TMP GOCACHE=$TMP/go-cache go tool pprof -raw fe.pb.gz >raw.txt 2>/dev/null || fail "pprof cannot read it"
	# pprof marks the default sample type: the samples of the event with samples.
	grep -A1 '^Samples:' raw.txt | tail -n 1 | grep -q ' samples/count\[dflt\] cpu_core/cycles//count' \
		|| fail "the default sample type is not cpu_core's samples: $(head -5 raw.txt)"
	HOME=$TMP GOCACHE=$TMP/go-cache go tool pprof -top fe.pb.gz >top.txt 2>/dev/null
	expect_grep top.txt "of 100 total"
else
	skip_part "go is not installed: the pprof default sample type"
fi

# annotate --top ranks by the event with samples too: ten (50 samples) first.
if command -v nm >/dev/null 2>&1; then
	addr() { nm "$WORKLOADS/split" | awk -v f="$1" '$3 == f { print $1 }'; }
	python3 "$MKBAD" firstempty fe-split.data "$WORKLOADS/split" "$(addr sixty)" "$(addr ten)" "$(addr thirty)"
	run "$HWPROF" annotate -i fe-split.data --top 1
	expect_rc 0
	expect_grep "$TMP/out" "^# hwprof annotate: 'ten' in"
	expect_grep "$TMP/out" "^# event 'cpu_core/cycles/': 50 samples in this function"
else
	skip_part "nm is not installed: annotate --top"
fi

# --- hardware trace data and -g without chains are said, not ignored.
python3 "$MKBAD" aux aux.data
run "$HWPROF" report -i aux.data
expect_rc 0
expect_grep "$TMP/err" "hardware trace data (2 AUX records"
python3 "$MKBAD" nochain nochain.data
run "$HWPROF" report -g -i nochain.data
expect_rc 0
expect_grep "$TMP/err" "recorded without call chains"

# --- leader-sampled groups of threads that share their counters' ids.
python3 "$MKBAD" groups groups.data
run "$HWPROF" report -i groups.data --json --percent-limit 0
expect_rc 0
cp "$TMP/out" groups.json
shares=$(json_get groups.json '" ".join("%s=%.2f" % (r["symbol"], r["events"]["r1:HG"]["percent"]) for r in sorted(d["rows"], key=lambda r: r["symbol"]))')
[ "$shares" = "0x1100=25.00 0x1200=75.00" ] || fail "group deltas mix threads: $shares"

# --- 300,000 event descriptions: linear time.
python3 "$MKBAD" attrs 300000 attrs.data
run timeout 120 "$HWPROF" report -i attrs.data --json --top 1
expect_rc 0 "300,000 attrs"
[ "$(json_get "$TMP/out" 'len(d["events"])')" = 300000 ] || fail "not all 300,000 events were read"

# --- names longer than any buffer: two functions sharing a 600-byte prefix.
prefix=$(python3 -c 'print("f" * 600)')
cat >long.c <<EOF
#include <stdlib.h>
volatile unsigned long sink;
__attribute__((noinline)) void ${prefix}_one(long n) { for (long i = 0; i < n; i++) sink += i; }
__attribute__((noinline)) void ${prefix}_two(long n) { for (long i = 0; i < n; i++) sink ^= i; }
int main(int argc, char **argv) { long n = atol(argv[1]); ${prefix}_one(n); ${prefix}_two(n); return 0; }
EOF
cc -O1 -g -o long long.c || fail "cannot build the long-name workload"
"$HWPROF" record -q -o long.data -- ./long 200000000 || fail "record of the long-name workload"
"$HWPROF" report -i long.data --json --sort sym >long.json 2>/dev/null || fail "report of long names"
json_get long.json '"\n".join(r["symbol"][-4:] for r in d["rows"] if r["symbol"].startswith("ffff"))' | sort >ends
[ "$(tr '\n' ' ' <ends)" = "_one _two " ] || fail "the two long names did not stay two rows: $(cat ends)"

# --- diff --json of files whose names need escaping.
cp long.data 'we"ird
name.data'
run "$HWPROF" diff --json long.data 'we"ird
name.data'
expect_rc 0
python3 -m json.tool "$TMP/out" >/dev/null || fail "diff --json is not valid JSON: $(head -c 300 "$TMP/out")"

# --- outputs by path: never through a symlink, never another user's file.
echo precious >target
ln -s target link.svg
run "$HWPROF" report -i long.data --format svg -o link.svg
expect_rc 1
expect_grep "$TMP/err" "symbolic link"
[ "$(cat target)" = precious ] || fail "report wrote through a symlink"
run "$HWPROF" stat -o link.svg -- true
expect_rc 1
[ "$(cat target)" = precious ] || fail "stat wrote through a symlink"
if [ "$(id -u)" -eq 0 ]; then
	echo theirs >theirs.txt
	chown 65534 theirs.txt
	run "$HWPROF" report -i long.data -o theirs.txt
	expect_rc 1
	expect_grep "$TMP/err" "belongs to another user"
	[ "$(cat theirs.txt)" = theirs ] || fail "report replaced another user's file"
else
	skip_part "not root: another user's file"
fi
run "$HWPROF" report -i long.data -o report.txt
expect_rc 0
[ "$(stat -c %a report.txt)" = "$(printf '%o' $((0666 & ~$(umask))))" ] \
	|| fail "report.txt has mode $(stat -c %a report.txt), not what the umask gives"

# --- the command line in the header is quoted as a shell would type it.
"$HWPROF" record -q -o quote.data -- sh -c 'x=1
true' "it's" || fail "record with a newline argument"
"$HWPROF" report -i quote.data >quote.txt 2>/dev/null
expect_grep quote.txt "^# recorded with: .* -- sh -c \$'x=1\\\\ntrue' 'it'\\\\''s'\$"

# --- a recording cut short (the recorder SIGKILLed) has no features: its
# kernel is unknown, not "another one", and kernel addresses still resolve.
if [ "$(id -u)" -eq 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]; then
	"$HWPROF" record -q -o cut.data -- dd if=/dev/zero of=/dev/null bs=64 count=1000000000 &
	rec=$!
	sleep 2.5
	# Only this recorder's dd: other suites may run their own beside this one.
	dd=$(pgrep -P $rec -x dd || true)
	kill -KILL $rec 2>/dev/null || true
	wait $rec 2>/dev/null || true
	[ -z "$dd" ] || kill $dd 2>/dev/null || true
	run "$HWPROF" report -i cut.data
	expect_rc 0
	expect_grep "$TMP/err" "does not say which kernel it was made on"
	expect_no_grep "$TMP/err" "is not the running one"
	grep -q '\[k\] [a-z_]' "$TMP/out" || fail "kernel addresses of a cut-short recording are unresolved: $(head -12 "$TMP/out")"
else
	skip_part "kernel samples need root or perf_event_paranoid <= 1: the cut-short case"
fi

# --- missing default input: a hint.
mkdir empty && cd empty
run "$HWPROF" report
expect_rc 1
expect_grep "$TMP/err" "make one with 'hwprof record -- CMD' first"
cd ..

finish "hostile and unusual input"
