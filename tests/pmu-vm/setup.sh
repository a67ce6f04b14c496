#!/bin/sh
# Installs what the arm64 PMU machine needs, from Debian's archive only. Idempotent.
set -eu
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64; updated=no; }
for p in qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio binutils-aarch64-linux-gnu \
	libdw-dev:arm64 libelf-dev:arm64 libcapstone-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64 \
	libiberty-dev:arm64 check:arm64; do
	have "$p" || need="$need $p"
done
if [ -n "$need" ] || [ "${updated:-}" = no ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	[ -z "$need" ] || apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
