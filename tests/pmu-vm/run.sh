#!/bin/sh
# Cross-builds hwprof for arm64 from SRC (a clean copy of the distribution),
# boots it twice in QEMU's virt machine whose PMU counts exactly (-icount),
# runs guest-init.sh there and reports; the last line is "N passed, N failed".
# Usage: run.sh SRC WORKDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$1
work=$2
mkdir -p "$work"
cd "$work"

ready() {
	command -v qemu-system-aarch64 >/dev/null 2>&1 && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
		[ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libdw.pc ]
}
if ! ready; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: the arm64 PMU machine needs root to install qemu and the arm64 libraries once"
		echo "0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	sh "$here/setup.sh"
fi

echo "pmu-vm: cross-building hwprof for aarch64"
(
	cd "$src"
	PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
		./configure --host=aarch64-linux-gnu -q >"$work/configure.log" 2>&1 ||
		{ tail -20 "$work/configure.log"; exit 1; }
	make -j"$(nproc)" hwprof >"$work/make.log" 2>&1 || { tail -20 "$work/make.log"; exit 1; }
)

root=$work/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib" "$root/proc" "$root/sys" "$root/tmp" "$root/dev"
cp "$src/hwprof" "$root/bin/"
cc="aarch64-linux-gnu-gcc -static -g"
$cc -O1 -o "$root/bin/loop2" "$here/loop2.c"
$cc -O1 -fno-inline -o "$root/bin/mix" "$src/tests/workloads/mix.c"
$cc -O1 -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-inline -o "$root/bin/callers" \
	"$src/tests/workloads/callers.c"
$cc -O2 -fomit-frame-pointer -fno-inline -o "$root/bin/nofp" "$src/tests/workloads/nofp.c"

# hwprof's shared libraries, with theirs, and the dynamic loader.
copy_libs() { # ELF
	for lib in $(aarch64-linux-gnu-readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
		[ -e "$root/lib/$lib" ] && continue
		for dir in /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib; do
			if [ -e "$dir/$lib" ]; then
				cp -L "$dir/$lib" "$root/lib/$lib"
				copy_libs "$root/lib/$lib"
				break
			fi
		done
		[ -e "$root/lib/$lib" ] || { echo "pmu-vm: cannot find $lib for arm64"; exit 1; }
	done
}
copy_libs "$root/bin/hwprof"
# The loader must come from the same glibc build as libc.so.6 (the multiarch
# package, not the cross toolchain's): mixed, fork() loops forever in the child.
libc_dir=
for dir in /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib; do
	if [ -e "$dir/libc.so.6" ]; then libc_dir=$dir; break; fi
done
[ -e "$libc_dir/ld-linux-aarch64.so.1" ] || { echo "pmu-vm: no ld-linux-aarch64.so.1 beside $libc_dir/libc.so.6"; exit 1; }
cp -L "$libc_dir/ld-linux-aarch64.so.1" "$root/lib/"

# busybox and the kernel, from Debian's arm64 packages (downloaded once, never installed).
if [ ! -f busybox ] || [ ! -f vmlinuz ]; then
	kpkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
	[ -n "$kpkg" ] || { echo "pmu-vm: no arm64 kernel package found (apt-get update?)"; exit 1; }
	rm -rf debs && mkdir debs && (cd debs && apt-get download -q -o APT::Sandbox::User=root "$kpkg" busybox-static:arm64 >/dev/null)
	for d in debs/*.deb; do dpkg-deb -x "$d" debs/x; done
	cp debs/x/bin/busybox busybox
	cp debs/x/boot/vmlinuz-* vmlinuz
	rm -rf debs
fi
cp busybox "$root/bin/busybox"
for applet in sh mount awk grep cat head tail echo poweroff dmesg uname true sed wc sleep ls rm; do
	ln -sf busybox "$root/bin/$applet"
done
ln -sf lib "$root/lib64"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >initramfs.gz

boot() { # LOG
	timeout 170 qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 1 -m 1024 -icount shift=0 \
		-nographic -no-reboot -monitor none -serial stdio -nic none \
		-kernel vmlinuz -initrd initramfs.gz -append "console=ttyAMA0 panic=-1 quiet rdinit=/init" \
		</dev/null >"$1" 2>&1 || true
	tr -d '\r' <"$1" >"$1.txt"
}
echo "pmu-vm: booting (1 of 2)"
boot boot1.log
echo "pmu-vm: booting (2 of 2)"
boot boot2.log

pass=$(grep -c '^PASS: ' boot1.log.txt || true)
fail=$(grep -c '^FAIL: ' boot1.log.txt || true)
grep -E '^(PASS|FAIL): |^hwprof-pmu-vm|hw perfevents' boot1.log.txt || true
if ! grep -q '^hwprof-pmu-vm: [0-9]* passed' boot1.log.txt; then
	echo "FAIL: the guest did not finish its tests; console:"
	tail -30 boot1.log.txt
	fail=$((fail + 1))
fi
c1=$(sed -n 's/^COUNT=//p' boot1.log.txt) c2=$(sed -n 's/^COUNT=//p' boot2.log.txt)
if [ -n "$c1" ] && [ "$c1" = "$c2" ]; then
	echo "PASS: identical user-space instruction counts across two boots ($c1)"
	pass=$((pass + 1))
else
	echo "FAIL: user-space counts differ across boots: '$c1' and '$c2'"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
