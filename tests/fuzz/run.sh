#!/bin/sh
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for SECONDS.
# Seeds: the shared perf.data corpus, fresh recordings, the regressions.
# Prints executions and crashes per target; the last line is "N passed, N failed".
# Usage: run.sh SRCDIR BUILDDIR SECONDS
set -eu
src=$1
build=$2
secs=$3
work=$build/fuzz
mkdir -p "$work/obj"
cd "$work"

if ! command -v clang >/dev/null 2>&1 || ! clang -fsanitize=fuzzer -x c /dev/null -o /dev/null 2>/dev/null \
	&& ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
		clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then
	echo "SKIP: clang with libFuzzer (Debian's clang and libclang-rt-14-dev) is not installed"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

pkgs="libdw libelf capstone zlib libzstd"
cflags="-g -O1 -std=gnu11 -include $build/config.h -I$src/include $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -liberty -lm"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

echo "fuzz: building the library with coverage"
# Objects depend on every header too: any newer header rebuilds them all.
for h in "$src"/include/hwprof/*.h "$build/config.h" "$0"; do
	if [ ! -e obj/.stamp ] || [ obj/.stamp -ot "$h" ]; then
		rm -f obj/*.o
		break
	fi
done
touch obj/.stamp
objs=
cmd_objs=
for c in "$src"/src/*.c; do
	case "$(basename "$c")" in main.c | cmd-stat.c | cmd-record.c | cmd-list.c) continue ;; esac
	o=obj/$(basename "$c" .c).o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then
		clang $cflags $san -fsanitize=fuzzer-no-link -c "$c" -o "$o"
	fi
	case "$(basename "$c")" in
	cmd*.c) cmd_objs="$cmd_objs $o" ;;
	*) objs="$objs $o" ;;
	esac
done

# Seeds for the perf.data reader.
mkdir -p seeds/perfdata seeds/evspec seeds/unwind seeds/commands
corpus=
for d in "$src/../shared/perfdata-corpus" "$src/../../shared/perfdata-corpus"; do
	[ -d "$d" ] && corpus=$d && break
done
[ -n "$corpus" ] && cp "$corpus"/perf.data.* seeds/perfdata/ 2>/dev/null || true
if [ -x "$build/hwprof" ] && [ ! -f seeds/perfdata/own-fp.data ]; then
	"$build/hwprof" record -g -F 200 -o seeds/perfdata/own-fp.data -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' >/dev/null 2>&1 || true
	"$build/hwprof" record --call-graph dwarf,512 -F 200 -o seeds/perfdata/own-dwarf.data -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' >/dev/null 2>&1 || true
	rm -f seeds/perfdata/*.old
fi
for s in cycles 'task-clock,{cycles,instructions}:S' 'cpu/event=0x3c,umask=0x1/u' r01c2 L1-dcache-load-misses:pp '{a,b'; do
	printf '%s' "$s" >"seeds/evspec/$(printf '%s' "$s" | md5sum | cut -c1-8)"
done
head -c 4096 /dev/zero >seeds/unwind/zeros
cp "$src"/tests/fuzz/regressions/perfdata/* seeds/perfdata/ 2>/dev/null || true
cp "$src"/tests/fuzz/regressions/evspec/* seeds/evspec/ 2>/dev/null || true
cp "$src"/tests/fuzz/regressions/unwind/* seeds/unwind/ 2>/dev/null || true
cp "$src"/tests/fuzz/regressions/commands/* seeds/commands/ 2>/dev/null || true
# The commands target starts from the reader's seeds and the crafted streams.
cp seeds/perfdata/* seeds/commands/ 2>/dev/null || true
for m in header lateattr firstempty compressed2 aux groups nochain; do
	python3 "$src/tests/tools/mkbad.py" $m "seeds/commands/mkbad-$m" 2>/dev/null || true
done

pass=0 fail=0
for t in perfdata evspec unwind commands; do
	extra=
	[ "$t" = commands ] && extra=$cmd_objs
	clang $cflags $san -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$t.c" $extra $objs $libs -o "fuzz_$t"
	mkdir -p "corpus/$t" "crashes/$t"
	echo "fuzz: running $t for ${secs}s"
	set +e
	# Reader inputs are capped at 128 KiB: mutations stay fast, seeds keep their headers.
	maxlen=
	[ "$t" = perfdata ] || [ "$t" = commands ] && maxlen=-max_len=131072
	./"fuzz_$t" $maxlen -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="crashes/$t/" "corpus/$t" "seeds/$t" >"$t.log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t.log" | tail -n 1)
	crashes=$(ls "crashes/$t" | wc -l)
	echo "fuzz: $t: ${execs:-0} executions, $crashes crashes, corpus $(ls "corpus/$t" | wc -l) inputs"
	if [ $rc -ne 0 ] || [ "$crashes" -ne 0 ]; then
		echo "FAIL: fuzz_$t (exit $rc); crashing inputs in $work/crashes/$t:"
		grep -E 'ERROR:|SUMMARY:|runtime error' "$t.log" | head -5
		fail=$((fail + 1))
	else
		echo "PASS: fuzz_$t"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
