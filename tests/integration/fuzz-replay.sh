#!/bin/sh
# Every input that once crashed a fuzz target, and every seed, goes through the targets again.
. "$TOP_SRCDIR/tests/integration/lib.sh"
cd "$TMP"

replay() { # TARGET FILES...
	t=$1
	shift
	[ $# -gt 0 ] || return 0
	"$TOP_BUILDDIR/tests/fuzz/replay_$t" "$@" >"$t.out" 2>&1 || fail "replay of $t crashed: $(tail -5 "$t.out")"
	grep -q "^replayed $# inputs$" "$t.out" || fail "replay of $t did not finish: $(tail -5 "$t.out")"
}

for t in perfdata evspec unwind commands; do
	set -- $(ls -d "$TOP_SRCDIR"/tests/fuzz/regressions/$t/* | grep -v /README$)
	[ -e "${1:-}" ] || set --
	replay $t "$@"
done

# The corpus and broken variants of it: truncated at every 97th byte, bytes flipped.
corpus=
for d in "$TOP_SRCDIR/../shared/perfdata-corpus" "$TOP_SRCDIR/../../shared/perfdata-corpus"; do
	[ -d "$d" ] && corpus=$d && break
done
# The crafted streams through the commands' whole path.
for m in header lateattr firstempty compressed2 aux groups nochain; do
	python3 "$TOP_SRCDIR/tests/tools/mkbad.py" $m "mkbad-$m" || fail "mkbad.py $m"
done
replay commands mkbad-*
if [ -n "$corpus" ]; then
	replay perfdata "$corpus"/perf.data.*
	replay commands "$corpus"/perf.data.*
	f="$corpus/perf.data.lost_samples-4.4"
	size=$(wc -c <"$f")
	i=0
	while [ $i -lt "$size" ]; do
		head -c $i "$f" >"cut.$i"
		i=$((i + 997))
	done
	python3 - "$f" <<'PY' || true
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rnd = random.Random(7)
for k in range(40):
    d = bytearray(data)
    for _ in range(8):
        d[rnd.randrange(len(d))] = rnd.randrange(256)
    open(f"flip.{k}", "wb").write(d)
PY
	replay perfdata cut.* flip.* 2>/dev/null
fi
printf 'cycles' >spec && replay evspec spec
head -c 512 /dev/urandom >rnd && replay unwind rnd
[ -n "$corpus" ] || skip "no shared/perfdata-corpus beside the source: its replays did not run (the rest passed)"
echo "PASS: fuzz replay"
