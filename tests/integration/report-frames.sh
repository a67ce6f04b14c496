#!/bin/sh
# Every frame right: the first user frame under kernel frames, chains at the
# kernel's depth limit.
. "$TOP_SRCDIR/tests/integration/lib.sh"
cd "$TMP"

# --- the caller of a function that sets up no frame, with -g: in hwprof's
# report and in perf's reading of the same file.

# Of the folded stacks whose user part ends in LEAF, the share with CALLERS
# (";"-joined, outermost first; alternatives separated by "|") right above it.
folded_share() { # FILE LEAF CALLERS
	awk -v leaf="$2" -v want="$3" '{
		n = $NF; sub(/ [0-9]+$/, "");
		k = split($0, f, ";");
		for (i = k; i > 1; i--) if (f[i] == leaf) break;
		if (i <= 1) next;
		total += n;
		split(want, alt, "|");
		m = split(alt[1], w, ";");
		joined = "";
		for (j = i - m; j < i; j++) joined = joined (j > i - m ? ";" : "") f[j];
		good += index("|" want "|", "|" joined "|") > 0 ? n : 0;
	} END { if (total == 0) print "0 0"; else print good, total }' "$1"
}
perf_share() { # DATA LEAF CALLER
	perf script -F ip,sym -i "$1" 2>/dev/null | awk -v leaf="$2" -v want="$3" '
		/^$/ { if (n) { for (i = 1; i < n; i++) if (s[i] == leaf) { total++; good += index("|" want "|", "|" s[i + 1] "|") > 0; break } } n = 0; next }
		{ sym = $2; sub(/@.*/, "", sym); s[++n] = sym }
		END { print good + 0, total + 0 }'
}
expect_share() { # WHAT GOOD TOTAL
	[ "$3" -gt 0 ] || fail "$1: no sample"
	[ $(($2 * 100)) -ge $(($3 * 99)) ] || fail "$1: only $2 of $3 samples have the true caller"
}
check_callers() { # DATA LEAF CALLERS (outermost first, ;-joined)
	"$HWPROF" report -i "$1" --format folded -o "$1.folded" 2>/dev/null || fail "folded export of $1"
	set -- "$1" "$2" "$3" $(folded_share "$1.folded" "$2" "$3")
	expect_share "$1: hwprof's folded $3;$2" "$4" "$5"
	"$HWPROF" report -i "$1" -g --sort sym --percent-limit 0 >"$1.g" 2>/dev/null || fail "report -g of $1"
	direct=${3##*;}
	# In the callers trees, the line after LEAF's (tree drawing aside) is its caller.
	awk -v leaf="$2" -v want="$direct" '
		{ t = $0; sub(/^[ |]*/, "", t); sub(/^-+([0-9.]+%-+)?/, "", t) }
		t == "" { next }
		prev == leaf { seen++; good += index("|" want "|", "|" t "|") > 0 }
		{ prev = t }
		END { exit !(seen > 0 && good == seen) }' "$1.g" \
		|| fail "$1: report -g does not show $direct above $2: $(grep -B2 -A3 -- "$2\$" "$1.g" | head -12)"
	if command -v perf >/dev/null 2>&1; then
		set -- "$1" "$2" "$3" $(perf_share "$1" "$2" "$direct")
		expect_share "$1: perf script $direct above $2" "$4" "$5"
	fi
}

LEAF="$WORKLOADS/leafcall"
"$HWPROF" record -q -g -o main.data -- "$LEAF" main 300000000 || fail "record main"
check_callers main.data hot_leaf main
"$HWPROF" record -q -g -o thread.data -- "$LEAF" thread 300000000 || fail "record thread"
check_callers thread.data spin_leaf thread_main
"$HWPROF" record -q -g -o lib.data -- "$LEAF" lib 3000 || fail "record lib"
check_callers lib.data crc32_z lib_caller
"$HWPROF" record -q -g -o exec.data -- "$LEAF" exec 300000000 || fail "record exec"
check_callers exec.data hot_leaf main
# Blocked threads, sampled where they stop running.
"$HWPROF" record -q -g -e context-switches -c 1 -o block.data -- "$LEAF" block 200 || fail "record block"
check_callers block.data read reader
check_callers block.data clock_nanosleep '__nanosleep'
check_callers block.data __nanosleep 'sleeper|main|locker'
check_callers block.data __GI___lll_lock_wait 'locker;pthread_mutex_lock'
run "$HWPROF" report -i main.data
expect_grep "$TMP/out" "^# -g chains: [1-9][0-9]* got the caller a frameless function hid"

# Where there is no CFI (JIT code), the chain stays as the kernel gave it, and
# the report says how many: here, code copied to an anonymous mapping.
if [ "$(uname -m)" = x86_64 ]; then
	"$HWPROF" record -q -g -o jit.data -- "$LEAF" jit 300000000 || fail "record jit"
	run "$HWPROF" report -i jit.data
	expect_grep "$TMP/err" "call chains start in code without CFI (JIT code"
fi

# --- every inline level above the function it sits in, with qualified names.
I2="$WORKLOADS/inline2"
"$HWPROF" record -q -g -o inl.data -- "$I2" || fail "record inline2"
hot='work::Mixer::hot_inline(unsigned long)'
"$HWPROF" report -i inl.data --inline --format folded -o inl.folded 2>/dev/null || fail "folded --inline"
a=$(grep -F "main;outer_a (inlined);$hot (inlined) " inl.folded | awk '{ s += $NF } END { print s + 0 }')
b=$(grep -F "main;outer_b (inlined);$hot (inlined) " inl.folded | awk '{ s += $NF } END { print s + 0 }')
[ "$b" -gt 0 ] && [ $((a * 10)) -ge $((b * 16)) ] && [ $((a * 10)) -le $((b * 25)) ] \
	|| fail "hot_inline under outer_a and outer_b: $a and $b samples, want about 2:1"
# The same from a DWARF recording.
"$HWPROF" record -q --call-graph dwarf -o inl-dw.data -- "$I2" || fail "record inline2 with dwarf"
"$HWPROF" report -i inl-dw.data --inline --format folded -o inl-dw.folded 2>/dev/null || fail "folded of dwarf"
grep -qF "main;outer_b (inlined);$hot (inlined) " inl-dw.folded || fail "DWARF: no outer_b level: $(head -3 inl-dw.folded)"
"$HWPROF" report -i inl.data --inline -g --sort sym --percent-limit 2 >inl.g 2>/dev/null || fail "report -g --inline"
grep -A6 -F -- "---$hot (inlined)" inl.g | grep -q -- "--outer_a (inlined)$" || fail "-g: no outer_a above hot_inline: $(head -30 inl.g)"
grep -A9 -F -- "---$hot (inlined)" inl.g | grep -q -- "--outer_b (inlined)$" || fail "-g: no outer_b above hot_inline"
# Two lambdas are two rows, each named where it is written.
"$HWPROF" report -i inl.data --inline --sort sym --children --percent-limit 2 >inl.c 2>/dev/null
[ "$(grep -c 'main::{lambda@inline2.cc:[0-9]*}::operator() (inlined)$' inl.c)" -eq 2 ] || fail "the two lambdas: $(cat inl.c)"
grep -q '^ *3[0-9]\.[0-9]*% *0\.00% .*outer_a (inlined)$' inl.c || fail "--children credits no outer_a: $(cat inl.c)"
# The names and lines agree with addr2line -i -f -C at the hottest address.
if command -v addr2line >/dev/null 2>&1 && command -v go >/dev/null 2>&1; then
	"$HWPROF" report -i inl.data --format pprof -o inl.pb.gz 2>/dev/null || fail "pprof export"
	HOME=$TMP GOCACHE=$TMP/go-cache go tool pprof -raw inl.pb.gz 2>/dev/null >inl.raw || fail "pprof -raw"
	# pprof -raw: "ID: 0xADDR M=N short-name file:line ..." then one line per outer level.
	python3 - inl.raw >got <<'PY' || fail "no pprof location in hot_inline"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
for i, l in enumerate(lines):
    m = re.match(r"\s*\d+: (0x[0-9a-f]+) M=\d+ work::Mixer::hot_inline (\S+)", l)
    if not m:
        continue
    print("%x" % (int(m.group(1), 16) % (1 << 44)))
    print("work::Mixer::hot_inline", m.group(2).split("/")[-1])
    for k in lines[i + 1:]:
        if re.match(r"\s*\d+: ", k) or not k.strip():
            break
        f = k.split()
        print(f[0], f[1].split("/")[-1])
    sys.exit(0)
sys.exit(1)
PY
	addr=$(head -n 1 got)
	sed -i 1d got
	addr2line -i -f -C -e "$I2" "$addr" | paste - - | awk '{ n = split($NF, p, "/"); print $1, p[n] }' >want
	sed -i 's/^work::Mixer::hot_inline(unsigned /work::Mixer::hot_inline /; s/^work::Mixer::hot_inline long) /work::Mixer::hot_inline /' want
	diff want got >/dev/null || fail "pprof's lines differ from addr2line -i: $(paste want got)"
else
	skip_part "addr2line or go is missing: pprof lines against addr2line -i"
fi

# A sample in the page-fault handler: its first user frame is the faulting
# instruction, the first of touch_first; never_called sits just before it.
if [ "$(id -u)" -eq 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]; then
	"$HWPROF" record -q -g -o ff.data -- "$WORKLOADS/faultfirst" 2000 || fail "record of faultfirst"
	"$HWPROF" report -i ff.data --children --sort sym --percent-limit 0 >ff.txt 2>/dev/null || fail "report"
	grep -q 'touch_first$' ff.txt || fail "no touch_first: $(head -20 ff.txt)"
	expect_no_grep ff.txt 'never_called'
	"$HWPROF" report -i ff.data --format folded >ff.folded 2>/dev/null || fail "folded"
	expect_no_grep ff.folded 'never_called'
	grep -q ';touch_first;' ff.folded || fail "no kernel frames above touch_first in the folded stacks"
	if command -v perf >/dev/null 2>&1; then
		perf report -i ff.data --children --stdio --sort sym 2>/dev/null >ff.perf
		grep -q 'touch_first$' ff.perf || fail "perf shows no touch_first"
		expect_no_grep ff.perf 'never_called'
	fi
else
	skip_part "kernel samples need root or perf_event_paranoid <= 1: the first-user-frame case"
fi

# A recursion 200 deep at the default limit of 127 frames: said by record and report.
limit=$(cat /proc/sys/kernel/perf_event_max_stack)
run "$HWPROF" record -g -o deep.data -- "$WORKLOADS/recurse" $((limit + 60))
expect_rc 0
expect_grep "$TMP/err" "call chains reached kernel.perf_event_max_stack ($limit frames) and were cut there"
run "$HWPROF" report -i deep.data
expect_rc 0
expect_grep "$TMP/err" "call chains have $limit frames, the kernel's limit when recorded"
if command -v perf >/dev/null 2>&1; then
	perf script -i deep.data -F ip 2>/dev/null | awk 'NF == 0 { if (n > max) max = n; n = 0; next } { n++ } END { print max }' >perfdepth
	[ "$(cat perfdepth)" -le "$limit" ] || fail "perf reads chains deeper than the limit: $(cat perfdepth)"
fi
# Raised, the whole chain is recorded and reported with no note.
if [ "$(id -u)" -eq 0 ]; then
	# The kernel refuses (EBUSY) while any event records call chains: other
	# tests may be recording; wait for a gap.
	tries=0
	until sysctl -q kernel.perf_event_max_stack=512 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 120 ] || fail "cannot raise kernel.perf_event_max_stack (busy for a minute)"
		sleep 0.5
	done
	run "$HWPROF" record -g -o deeper.data -- "$WORKLOADS/recurse" $((limit + 60))
	tries=0
	until sysctl -q kernel.perf_event_max_stack="$limit" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 240 ] || fail "cannot set kernel.perf_event_max_stack back to $limit"
		sleep 0.5
	done
	expect_rc 0
	# The recursion fits now; a rare garbage walk (a new thread's frame pointer
	# before it is set) may still run to any limit, so a few cut chains are fine.
	cut=$(sed -n 's/.*note: \([0-9]*\) call chains reached.*/\1/p' "$TMP/err")
	[ "${cut:-0}" -le 5 ] || fail "$cut chains cut at 512 frames: $(cat "$TMP/err")"
	"$HWPROF" report -i deeper.data --json >deeper.json 2>deeper.err || fail "report of the deeper chains"
	depth=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["callchains"]["max_depth"])' deeper.json)
	[ "$depth" -gt $((limit + 60)) ] || fail "the report shows chains of $depth frames, not the whole recursion"
else
	skip_part "not root: chains with kernel.perf_event_max_stack raised"
fi
# --- LBR call stacks (Intel): the user callers from the branch records, the
# kernel's frame-pointer walk of user space ignored. No LBR here: a synthesized
# recording of the callers workload, checked against perf's reading of it.
if command -v objdump >/dev/null 2>&1; then
	python3 "$TOP_SRCDIR/tests/tools/mkbad.py" lbr lbr.data "$WORKLOADS/callers" || fail "mkbad.py lbr"
	run "$HWPROF" report -i lbr.data -g
	expect_rc 0
	expect_grep "$TMP/out" "^# call chains: 40 user parts from LBR call stacks"
	grep -A4 -- '---leaf$' "$TMP/out" | tr -d ' |' | tr '\n' ' ' | grep -q -- '---leaf caller_a main' \
		|| fail "LBR chain not leaf <- caller_a <- main: $(cat "$TMP/out")"
	expect_no_grep "$TMP/out" 'unknown'
	if command -v perf >/dev/null 2>&1; then
		perf script -F ip,sym -i lbr.data 2>/dev/null | awk 'NF == 2 { print $2 }' | head -3 | tr '\n' ' ' >perf-lbr
		[ "$(cat perf-lbr)" = "leaf caller_a main " ] || fail "perf reads the LBR chain as $(cat perf-lbr)"
	fi
else
	skip_part "objdump is missing: the LBR recording"
fi
run "$HWPROF" record --call-graph lbr -e cpu-clock -o nolbr.data -- true
expect_rc 1
expect_grep "$TMP/err" "call-graph lbr needs a hardware event on a CPU with LBR call stacks"

# --- PLT stubs and the vDSO by name, as perf names them.
"$HWPROF" record -q -g -o vdso.data -- "$LEAF" vdso 20000000 || fail "record vdso"
"$HWPROF" report -i vdso.data --sort dso,sym --percent-limit 0.5 >vdso.txt 2>/dev/null || fail "report vdso"
grep -q '\[vdso\] *\[\.\] __\(vdso\|kernel\)_clock_gettime$' vdso.txt || fail "no vDSO function by name: $(head -14 vdso.txt)"
grep -q 'leafcall *\[\.\] clock_gettime@plt$' vdso.txt || fail "no PLT stub by name: $(head -14 vdso.txt)"
expect_no_grep vdso.txt '\[\.\] 0x'

# --- headers say what the shares are of: filtered totals are said as such.
"$HWPROF" record -q -g -o fe.data -- "$WORKLOADS/forkexec" "$WORKLOADS/split" 5 || fail "record forkexec"
run "$HWPROF" report -i fe.data --comm split --children --json --percent-limit 0
expect_rc 0
python3 - "$TMP/out" <<'PY' || fail "JSON totals with --comm: $(head -c 600 "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["events"][0]
assert e["samples"] < e["samples_recorded"], e
assert sum(r["events"][e["name"]]["samples"] for r in d["rows"]) == e["samples"], e
PY
run "$HWPROF" report -i fe.data --comm split
expect_grep "$TMP/out" "^# event '[^']*': [0-9]* samples shown of [0-9]* recorded"
# A DWARF recording not unwound has no depth to tell.
"$HWPROF" record -q --call-graph dwarf -o dw.data -- "$WORKLOADS/nofp" 50000000 || fail "record dwarf"
"$HWPROF" report -i dw.data --json >dw.json 2>/dev/null || fail "report dwarf"
python3 -c 'import json,sys; c = json.load(open(sys.argv[1]))["callchains"]; assert c["max_depth"] is None and not c["dwarf_unwound"], c' dw.json \
	|| fail "max_depth of a DWARF recording not unwound: $(grep -A3 callchains dw.json)"
finish "frames"
