#!/bin/sh
# Kernel symbols: the per-boot cache of /proc/kallsyms is written, read back,
# preferred to the live file, distrusted when damaged, and never used where the
# kernel hides its addresses.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to edit the cache file"
cd "$TMP"
[ -r /proc/kallsyms ] && awk '$1 != "0000000000000000" { ok = 1; exit } END { exit !ok }' /proc/kallsyms ||
	skip "/proc/kallsyms shows no addresses here"
boot=$(cat /proc/sys/kernel/random/boot_id)
unset XDG_CACHE_HOME
export HWPROF_CACHE_DIR="$TMP/cache"
cache="$TMP/cache/kallsyms-$boot"

# Page faults put most samples in the kernel.
run "$HWPROF" record -o k.data -- "$WORKLOADS/touch_pages" 20000
expect_rc 0
report() { "$HWPROF" report -i k.data --sort dso,sym --percent-limit 0 >"$1" 2>"$1.err" || fail "report failed: $(cat "$1.err")"; }

# 1. The first report reads /proc/kallsyms and writes the cache, for this user only.
report live.txt
grep -q '\[k\] [a-z_]' live.txt || fail "no named kernel function in the report: $(head -20 live.txt)"
[ -f "$cache" ] || fail "no cache written: $(ls -la "$TMP/cache" 2>&1)"
[ "$(stat -c %a "$cache")" = 600 ] || fail "cache mode is $(stat -c %a "$cache"), want 600"
[ "$(stat -c %a "$TMP/cache")" = 700 ] || fail "cache dir mode is $(stat -c %a "$TMP/cache"), want 700"
size=$(stat -c %s "$cache")

# 2. The cache gives the same report.
report cached.txt
cmp -s live.txt cached.txt || fail "report from the cache differs: $(diff live.txt cached.txt | head)"

# 3. The cache is what is read: rename the hottest kernel function in it.
ksym=$(awk '$4 == "[k]" && $5 !~ /^0x/ { print $5; exit }' live.txt)
python3 - "$cache" "$ksym" <<'PY'
import sys
path, name = sys.argv[1], sys.argv[2].encode()
data = open(path, "rb").read()
new = data.replace(b"\0" + name + b"\0", b"\0" + b"Z" * len(name) + b"\0")
assert new != data, "name not in the cache"
open(path, "wb").write(new)
PY
report forged.txt
expect_grep forged.txt "\[k\] $(printf '%s' "$ksym" | tr -c '\n' Z)\$"

# 4. Where the kernel hides addresses, the cache is not used either.
if [ "$(id -u)" -eq 0 ] && old_k=$(cat /proc/sys/kernel/kptr_restrict) && echo 2 >/proc/sys/kernel/kptr_restrict 2>/dev/null; then
	trap 'echo "$old_k" >/proc/sys/kernel/kptr_restrict; rm -rf "$TMP"' EXIT
	report hidden.txt
	echo "$old_k" >/proc/sys/kernel/kptr_restrict
	expect_no_grep hidden.txt "ZZZ"
	expect_grep hidden.txt "\[k\] 0x"
	expect_grep hidden.txt.err "kallsyms is not readable"
else
	echo "note: kptr_restrict cannot be changed here; the hidden-addresses case was not run"
fi

# 5. A damaged cache is ignored and replaced; other boots' files go.
touch "$TMP/cache/kallsyms-00000000-0000-0000-0000-000000000000"
head -c $((size / 2)) "$cache" >half && mv half "$cache"
report damaged.txt
cmp -s live.txt damaged.txt || fail "report with a truncated cache differs: $(diff live.txt damaged.txt | head)"
[ "$(stat -c %s "$cache")" -eq "$size" ] || fail "the truncated cache was not rewritten"
[ ! -e "$TMP/cache/kallsyms-00000000-0000-0000-0000-000000000000" ] || fail "another boot's cache was kept"
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[:8] = b"garbage!"; open(sys.argv[1], "wb").write(d)' "$cache"
report garbage.txt
cmp -s live.txt garbage.txt || fail "report with a bad cache header differs"

# 6. HWPROF_CACHE_DIR= turns the cache off; without it, the cache is under $HOME.
rm -rf "$TMP/cache"
mkdir home
HOME=$TMP/home HWPROF_CACHE_DIR= report nocache.txt
cmp -s live.txt nocache.txt || fail "report without a cache differs"
[ ! -e "$TMP/cache" ] && [ -z "$(ls -A home)" ] || fail "a cache was written with HWPROF_CACHE_DIR empty"
(unset HWPROF_CACHE_DIR; HOME=$TMP/home report home.txt)
[ -f "home/.cache/hwprof/kallsyms-$boot" ] || fail "no cache under \$HOME/.cache/hwprof: $(find home)"
echo "PASS: kallsyms cache written, read, distrusted when damaged or restricted"
