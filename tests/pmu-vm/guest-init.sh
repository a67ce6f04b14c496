#!/bin/sh
# /init of the arm64 test machine: runs hwprof on a real (emulated) PMU and
# prints PASS:/FAIL: lines, COUNT= for the cross-boot check, and a summary.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
export PATH=/bin:/sbin HOME=/tmp
cd /tmp
# Exact counts need identical address layouts: with ASLR about one run in 150
# of the static loop2 retires 2 more user instructions in its startup code.
echo 0 >/proc/sys/kernel/randomize_va_space
pass=0
fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1${2:+: $2}"; fail=$((fail + 1)); }
csv() { awk -F, -v ev="$2" '$3 == ev { print $1 }' "$1"; }

echo "hwprof-pmu-vm: $(uname -r) $(grep -c processor /proc/cpuinfo) cpu"
dmesg | grep -i 'hw perfevents' | head -1

# 1. The PMU is there: hardware events count, no "no PMU" note.
if hwprof stat -e cycles:u -o out.txt -- /bin/true 2>err.txt && ! grep -q 'no hardware PMU' err.txt out.txt; then
	ok "hardware events open, no no-PMU note"
else
	ko "hardware events open" "$(cat err.txt)"
fi

# 2. Exact instruction counts: two loop lengths differ by exactly 2 x 2000000 instructions.
hwprof stat -x, -e instructions:u,cycles:u -o a.csv -- /bin/loop2 1000000 2>/dev/null
hwprof stat -x, -e instructions:u,cycles:u -o b.csv -- /bin/loop2 3000000 2>/dev/null
ia=$(csv a.csv instructions:u) ib=$(csv b.csv instructions:u)
echo "COUNT=$ia"
if [ -n "$ia" ] && [ -n "$ib" ] && [ $((ib - ia)) -eq 4000000 ]; then
	ok "instruction difference is exactly 4000000 ($ib - $ia)"
else
	ko "instruction difference" "$ia and $ib"
fi
ipc=$(awk -F, '$3 == "instructions:u" { print $7, $8 }' b.csv)
if [ "$ipc" = "1.000 insn per cycle" ]; then ok "IPC 1.00 (icount: a cycle per instruction)"; else ko "IPC" "$ipc"; fi

# 3. A group reads both counters all the time.
hwprof stat -x, -e '{cycles:u,instructions:u}' -o g.csv -- /bin/loop2 1000000 2>/dev/null
if [ "$(awk -F, '$6 == "100.00" { n++ } END { print n + 0 }' g.csv)" -eq 2 ]; then
	ok "group {cycles,instructions} ran 100%"
else
	ko "group running" "$(cat g.csv)"
fi

# 4. Sampling on cycles: a 3:1 split within 2 points.
hwprof record -e cycles:u -c 100000 -o split.data -- /bin/mix 3 1 2>rec.err
hwprof report -i split.data --sort sym --percent-limit 0 >split.txt 2>/dev/null
a=$(awk '$NF == "alpha" { sub("%", "", $1); print int($1 + 0.5) }' split.txt)
b=$(awk '$NF == "beta" { sub("%", "", $1); print int($1 + 0.5) }' split.txt)
if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -ge 73 ] && [ "$a" -le 77 ] && [ "$b" -ge 23 ] && [ "$b" -le 27 ]; then
	ok "cycles sampling splits 3:1 ($a/$b)"
else
	ko "cycles sampling split" "$a/$b $(cat rec.err) $(head -20 split.txt)"
fi

# 5. Leader sampling: per-function IPC 1.00 and call chains through the callers.
hwprof record -e '{cycles:u,instructions:u}:S' -g -c 100000 -o grp.data -- /bin/callers 2000000 2>/dev/null
hwprof report -i grp.data --sort sym -g >grp.txt 2>/dev/null
if grep -q ' 1\.00 .*\] leaf$' grp.txt; then ok "per-function IPC 1.00 from a leader-sampled group"; else ko "group IPC" "$(head -20 grp.txt)"; fi
if grep -q -- '--caller_a$' grp.txt && grep -q -- '--caller_b$' grp.txt; then
	ok "frame-pointer call chains reach both callers"
else
	ko "call chains" "$(head -30 grp.txt)"
fi

# 6. DWARF unwinding on arm64 through code without frame pointers.
hwprof record -e cycles:u -c 100000 --call-graph dwarf -o dw.data -- /bin/nofp 20000000 2>/dev/null
hwprof report -i dw.data --children --sort sym --percent-limit 0 >dw.txt 2>/dev/null
fa=$(awk '$NF == "func_a" { sub("%", "", $1); print int($1) }' dw.txt)
if [ -n "$fa" ] && [ "$fa" -ge 90 ]; then ok "DWARF unwinding recovers func_c <- func_b <- func_a ($fa%)"; else ko "DWARF unwinding" "$(head -20 dw.txt)"; fi

# 7. Events this PMU does not have: a clear error and exit status 1.
hwprof stat -e cache-misses -- /bin/true >/dev/null 2>cm.err
st=$?
if [ $st -eq 1 ] && grep -q "cannot count 'cache-misses': this CPU's PMU does not provide this event" cm.err; then
	ok "stat -e cache-misses refused clearly"
else
	ko "stat cache-misses" "exit $st: $(cat cm.err)"
fi
hwprof record -e cache-misses -c 10000 -o cm.data -- /bin/true >/dev/null 2>cm.err
st=$?
if [ $st -eq 1 ] && grep -q "cannot sample 'cache-misses'" cm.err && [ ! -e cm.data ]; then
	ok "record -e cache-misses refused clearly"
else
	ko "record cache-misses" "exit $st: $(cat cm.err)"
fi

echo "hwprof-pmu-vm: $pass passed, $fail failed"
poweroff -f
