#!/usr/bin/env bash
# Boot Debian's real 6.1.0-56 kernel under QEMU and run experiments.sh
# against the modules in examples/ko/; the console log goes to stdout.
# This is the oracle for modfs: the same commands on the real kernel.
#
#   bash examples/oracle/run-qemu.sh > examples/oracle/transcript.txt
#
# Needs (as root): apt-get install qemu-system-x86 linux-image-6.1.0-56-amd64
# busybox-static cpio.  Takes about a minute without KVM.
# Note: busybox insmod retries a failed load once, so a failing module's
# messages appear twice in the transcript; kmod's insmod does not retry.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KO=$HERE/../ko
KERNEL=${KERNEL:-/boot/vmlinuz-6.1.0-56-amd64}
BUSYBOX=${BUSYBOX:-$(command -v busybox || true)}
EXPERIMENTS=${1:-$HERE/experiments.sh}

for f in "$KERNEL" "$BUSYBOX" "$EXPERIMENTS"; do
	[[ -r $f ]] || { echo "run-qemu: missing $f" >&2; exit 1; }
done
command -v qemu-system-x86_64 >/dev/null || { echo "run-qemu: qemu-system-x86_64 missing" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/root/{bin,ko,proc,sys,dev}
cp "$BUSYBOX" "$work/root/bin/busybox"
cp "$KO"/*.ko "$work/root/ko/"
{
	echo '#!/bin/busybox sh'
	echo '/bin/busybox --install -s /bin'
	echo 'mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev'
	echo 'dmesg -n 8'
	echo 'run() { echo "### $*"; "$@"; echo "### rc=$?"; }'
	cat "$EXPERIMENTS"
	echo 'poweroff -f'
} >"$work/root/init"
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$work/initrd.gz"

timeout 600 qemu-system-x86_64 -m 512 -nographic -no-reboot \
	-kernel "$KERNEL" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" </dev/null |
	tr -d '\r' | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[A-Za-z]//g' \
		-e 's/^.*Booting from ROM[^#]*//' |
	awk 'f || /^### / { f = 1; print }'
