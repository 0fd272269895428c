#!/bin/bash
# scripts/selftests-oracle.sh: what the real Debian 6.1 kernel prints for its own lib/ self-test
# modules (test_bitmap.ko, test_printf.ko, ...), recorded into transcripts/selftests/<test>.txt.
#
# Same approach as scripts/oracle/run.sh (an initramfs with busybox for /init, dash, coreutils,
# kmod's insmod/rmmod and util-linux dmesg copied from the host; one fresh QEMU boot per test),
# running experiments/selftests/selftest.sh with TEST=<test>. The modules are built by
# scripts/build-selftests.sh against the headers of the booted release.
#
# Usage: scripts/selftests-oracle.sh [test ...]      (default: all 13)
# Environment: KERNEL (default /boot/vmlinuz-6.1.0-56-amd64), JOBS, TIMEOUT, OUT.
# Needs: qemu-system-x86, linux-image-<release>, linux-headers-<release>, linux-source-6.1,
# busybox-static, cpio, kmod, util-linux.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KERNEL=${KERNEL:-/boot/vmlinuz-6.1.0-56-amd64}
OUT=${OUT:-$ROOT/transcripts/selftests}
JOBS=${JOBS:-$(nproc)}
TIMEOUT=${TIMEOUT:-400}
KVER=$(basename "$KERNEL" | sed 's/^vmlinuz-//')
# as run.sh: the clocksource watchdog's complaints about emulated time are not module output
APPEND="console=ttyS0 quiet loglevel=0 panic=-1 tsc=reliable"
NOISE='^kmsg: (clocksource|hrtimer|rcu|watchdog|sched|perf|NMI watchdog|INFO: task)'

for tool in qemu-system-x86_64 cpio busybox kmod dmesg; do
	command -v "$tool" >/dev/null || { echo "selftests-oracle: $tool is missing" >&2; exit 1; }
done
[ -r "$KERNEL" ] || { echo "selftests-oracle: no kernel image $KERNEL" >&2; exit 1; }
KO_DIR=$(KDIR=/usr/src/linux-headers-$KVER bash "$ROOT/scripts/build-selftests.sh")

if [ $# -gt 0 ]; then TESTS=("$@"); else
	TESTS=()
	for f in "$KO_DIR"/*.ko; do TESTS+=("$(basename "$f" .ko)"); done
fi

WORK=$(mktemp -d /tmp/selftests-oracle.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,proc,sys,dev,tmp,ko,experiments/selftests,etc,root,lib/modules/"$KVER"}
cp /lib/modules/"$KVER"/modules.builtin* "$R/lib/modules/$KVER/" 2>/dev/null || true
cp /bin/busybox "$R/bin/busybox"
for a in $(busybox --list); do
	case $a in
	busybox | insmod | rmmod | lsmod | modprobe | depmod | modinfo | dmesg) ;;
	*) ln -s busybox "$R/bin/$a" ;;
	esac
done
copy_bin() {
	local src=$1 dst=$2 lib
	cp -L "$src" "$R$dst"
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
}
copy_bin /usr/bin/kmod /usr/bin/kmod
for t in insmod rmmod lsmod; do ln -s ../usr/bin/kmod "$R/sbin/$t"; done
copy_bin /usr/bin/dmesg /usr/bin/dmesg
for t in dash cat ls stat head wc rm; do copy_bin "/usr/bin/$t" "/usr/bin/$t"; done
cp "$ROOT"/experiments/lib.sh "$R/experiments/"
cp "$ROOT"/experiments/selftests/selftest.sh "$R/experiments/selftests/"
cp "$KO_DIR"/*.ko "$R/ko/"

cat > "$R/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/usr/bin:/bin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo "@@@ UNAME $(uname -a)"
# A machine that has been up for a while has its random pool ready, and so the key %p hashes
# with (lib/vsprintf.c fills it from a work item once the crng is initialised, retrying every
# 2 s). A fresh QEMU boot reaches /init before that; block on /dev/random until the crng is
# ready, then give the work item time to run, so test_printf sees hashed pointers, not
# "(____ptrval____)".
head -c 1 /dev/random > /dev/null
sleep 3
for t in $TESTS; do
	cd /
	echo "@@@ BEGIN $t"
	SYS= KO=/ko TEST=$t /usr/bin/dash /experiments/selftests/selftest.sh 2>&1
	echo "@@@ END $t rc=$?"
done
echo "@@@ DONE"
poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.gz"

boot() {
	local t=$1 try
	for try in 1 2 3; do
		timeout "$TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -m 512 \
			-kernel "$KERNEL" -initrd "$WORK/initrd.gz" -append "$APPEND TESTS=$t" \
			< /dev/null > "$WORK/$t.log" 2>&1 || echo "selftests-oracle: boot for $t exited with $?" >&2
		tr -d '\r' < "$WORK/$t.log" > "$WORK/$t.lf"
		if grep -q "^@@@ END $t rc=" "$WORK/$t.lf"; then
			sed -n "/^@@@ BEGIN $t\$/,/^@@@ END $t rc=/{/^@@@ /d;p}" "$WORK/$t.lf" > "$WORK/$t.txt"
			grep -Eq "$NOISE" "$WORK/$t.txt" || return 0
			echo "selftests-oracle: $t: emulation noise in the log, booting again" >&2
		else
			echo "selftests-oracle: boot $try for $t did not finish" >&2
		fi
		rm -f "$WORK/$t.txt"
	done
}

mkdir -p "$OUT"
start=$(date +%s)
running=0
for t in "${TESTS[@]}"; do
	boot "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
status=0
for t in "${TESTS[@]}"; do
	if [ ! -f "$WORK/$t.txt" ]; then
		echo "selftests-oracle: no transcript for $t; serial log follows" >&2
		tail -n 30 "$WORK/$t.lf" >&2 || true
		status=1
		continue
	fi
	cp "$WORK/$t.txt" "$OUT/$t.txt"
	grep -o -m1 '@@@ UNAME .*' "$WORK/$t.lf" | sed 's/^@@@ //' > "$WORK/versions" || true
	[ -s "$WORK/versions" ] && cp "$WORK/versions" "$OUT/VERSIONS.txt"
	echo "$t: $(wc -l < "$OUT/$t.txt") lines"
done
echo "selftests-oracle: ${#TESTS[@]} test(s) in $(($(date +%s) - start)) s"
exit "$status"
