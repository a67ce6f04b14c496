#!/bin/sh
# report's caches. Debug files with compressed DWARF: an uncompressed copy is
# saved, then used, and replaced when damaged. Kernel symbols: the per-boot
# cache of /proc/kallsyms is written, read back, preferred to the live file,
# distrusted when damaged, and never used where the kernel hides its addresses.
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to edit the cache files"
command -v objcopy >/dev/null 2>&1 || skip "objcopy (binutils) is needed to split debug info"
cd "$TMP"
unset XDG_CACHE_HOME
export HWPROF_CACHE_DIR="$TMP/cache"

# --- uncompressed copies of debug files ---------------------------------
# A program whose DWARF is in a separate, zlib-compressed file found by build id.
cp "$WORKLOADS/inlined" prog
objcopy --only-keep-debug --compress-debug-sections=zlib prog prog.debug
objcopy --strip-debug prog
id=$(readelf -n prog | awk '/Build ID:/ { print $3 }')
[ -n "$id" ] || fail "the workload has no build id"
mkdir -p "dbg/.build-id/$(echo "$id" | cut -c1-2)"
mv prog.debug "dbg/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug"
copy="$TMP/cache/debug/$id.debug"
compressed() { # ELF64 FILE -> how many sections have SHF_COMPRESSED
	python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
shoff, = struct.unpack_from("<Q", d, 0x28); shentsize, shnum = struct.unpack_from("<HH", d, 0x3a)
print(sum(1 for i in range(shnum) if struct.unpack_from("<Q", d, shoff + i * shentsize + 8)[0] & 0x800))' "$1"
}
[ "$(compressed "dbg/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug")" -gt 0 ] ||
	fail "objcopy did not compress the debug sections"
run "$HWPROF" record -o inl.data -- ./prog 100000000
expect_rc 0
inl() { "$HWPROF" report -i inl.data --debug-dir "$TMP/dbg" --inline --sort sym --percent-limit 5 >"$1" 2>"$1.err" ||
	fail "report failed: $(cat "$1.err")"; }

# 1. The first report reads the compressed file and saves an uncompressed copy.
inl first.txt
expect_grep first.txt "inner_work (inlined)"
[ -f "$copy" ] || fail "no uncompressed copy saved: $(find "$TMP/cache" 2>&1)"
[ "$(compressed "$copy")" -eq 0 ] || fail "the copy still has compressed sections"
[ "$(stat -c %a "$copy")" = 600 ] || fail "copy mode is $(stat -c %a "$copy"), want 600"
size=$(stat -c %s "$copy")

# 2. The next one reads the copy: a name changed in it shows.
inl second.txt
cmp -s first.txt second.txt || fail "report from the copy differs: $(diff first.txt second.txt | head)"
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
n = d.replace(b"inner_work\0", b"ZZZZZ_work\0")
assert n != d
open(sys.argv[1], "wb").write(n)' "$copy"
inl forged.txt
expect_grep forged.txt "ZZZZZ_work (inlined)"

# 3. A truncated copy is not trusted, and is replaced.
head -c $((size / 3)) "$copy" >short && mv short "$copy"
inl damaged.txt
cmp -s first.txt damaged.txt || fail "report with a truncated copy differs: $(diff first.txt damaged.txt | head)"
[ "$(stat -c %s "$copy")" -eq "$size" ] || fail "the truncated copy was not replaced"

# --- kernel symbols ------------------------------------------------------
if [ ! -r /proc/kallsyms ] || ! awk '$1 != "0000000000000000" { ok = 1; exit } END { exit !ok }' /proc/kallsyms; then
	skip_part "/proc/kallsyms shows no addresses here: the kernel symbol cache"
	finish "debug copies"
	exit 0
fi
boot=$(cat /proc/sys/kernel/random/boot_id)
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

# 4. A cache whose first symbol is not /proc/kallsyms's (another boot's, or a
# kernel hiding its addresses: reliability.sh sets kptr_restrict) is not used.
python3 - "$cache" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
first_addr = 8 + 8 * 4  # magic, count, names_len, cover_lo, cover_hi
struct.pack_into("<Q", d, first_addr, struct.unpack_from("<Q", d, first_addr)[0] + 16)
open(sys.argv[1], "wb").write(bytes(d))
PY
report mismatch.txt
expect_no_grep mismatch.txt "ZZZ"
cmp -s live.txt mismatch.txt || fail "report with a mismatched cache differs: $(diff live.txt mismatch.txt | head)"

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

# 6. HWPROF_CACHE_DIR= turns the caches off; without it, they are under $HOME.
rm -rf "$TMP/cache"
mkdir home
HOME=$TMP/home HWPROF_CACHE_DIR= report nocache.txt
cmp -s live.txt nocache.txt || fail "report without a cache differs"
[ ! -e "$TMP/cache" ] && [ -z "$(ls -A home)" ] || fail "a cache was written with HWPROF_CACHE_DIR empty"
(unset HWPROF_CACHE_DIR; HOME=$TMP/home report home.txt)
[ -f "home/.cache/hwprof/kallsyms-$boot" ] || fail "no cache under \$HOME/.cache/hwprof: $(find home)"
HOME=$TMP/home HWPROF_CACHE_DIR= inl nodebugcache.txt
[ ! -e "home/.cache/hwprof/debug/$id.debug" ] || fail "a debug copy was saved with HWPROF_CACHE_DIR empty"
finish "debug copies and the kallsyms cache written, read, distrusted when damaged or restricted"
