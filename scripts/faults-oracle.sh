#!/bin/bash
# scripts/faults-oracle.sh: what the real Debian 6.1 kernel prints for the
# fault modules in examples/faults/ (oops, BUG, WARN, soft lockup, panic).
#
# Same approach as scripts/oracle/run.sh (an initramfs with busybox, kmod,
# util-linux dmesg and dash; one fresh QEMU boot per experiment, since an
# oops leaves a module stuck), with three differences: experiments come
# from examples/faults/oracle/*.sh (sourcing experiments/lib.sh), an
# experiment may ask for 2 CPUs ("# qemu: -smp 2", so a soft lockup leaves
# a CPU to run the shell) or for the raw console ("# qemu: console": a
# panic never returns to the shell, so the transcript is the console log
# from the experiment's start), and the transcripts go to transcripts/faults/.
#
# Usage: scripts/faults-oracle.sh [experiment ...]   (default: all)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KERNEL=${KERNEL:-/boot/vmlinuz-6.1.0-56-amd64}
EXP_DIR=$ROOT/examples/faults/oracle
OUT=${OUT:-$ROOT/transcripts/faults}
JOBS=${JOBS:-$(nproc)}
TIMEOUT=${TIMEOUT:-400}

for tool in qemu-system-x86_64 cpio busybox kmod dmesg; do
	command -v "$tool" >/dev/null || { echo "faults-oracle: $tool is missing" >&2; exit 1; }
done

if [ $# -gt 0 ]; then EXPS=("$@"); else
	EXPS=()
	for f in "$EXP_DIR"/*.sh; do EXPS+=("$(basename "$f" .sh)"); done
fi

WORK=$(mktemp -d /tmp/faults-oracle.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,proc,sys,dev,tmp,ko,experiments,etc,root}
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
for t in dash cat ls stat head wc rm timeout; do copy_bin "/usr/bin/$t" "/usr/bin/$t"; done
cp "$ROOT"/experiments/lib.sh "$R/experiments/"
cp "$EXP_DIR"/*.sh "$R/experiments/"
cp "$ROOT"/examples/faults/ko/*.ko "$ROOT"/examples/ko/hello.ko "$R/ko/"

cat > "$R/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/usr/bin:/bin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo "@@@ UNAME $(uname -a)"
for e in $EXPERIMENTS; do
	cd /
	echo "@@@ BEGIN $e"
	SYS= KO=/ko /usr/bin/dash "/experiments/$e.sh" 2>&1
	echo "@@@ END $e rc=$?"
done
echo "@@@ DONE"
poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.gz"

boot() {
	local e=$1 smp=1 append="console=ttyS0 quiet loglevel=0 panic=-1"
	grep -q '^# qemu:.*-smp 2' "$EXP_DIR/$e.sh" && smp=2
	grep -q '^# qemu:.*console' "$EXP_DIR/$e.sh" && append="console=ttyS0 loglevel=8 panic=-1"
	timeout "$TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -m 512 -smp "$smp" \
		-kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
		-append "$append EXPERIMENTS=$e" \
		< /dev/null > "$WORK/$e.log" 2>&1 || echo "faults-oracle: boot for $e exited with $?" >&2
}

mkdir -p "$OUT"
running=0
for e in "${EXPS[@]}"; do
	boot "$e" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
for e in "${EXPS[@]}"; do
	log=$WORK/$e.log
	tr -d '\r' < "$log" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' > "$log.lf"
	if grep -q "^@@@ END $e rc=" "$log.lf"; then
		sed -n "/^@@@ BEGIN $e\$/,/^@@@ END $e rc=/{/^@@@ /d;p}" "$log.lf" > "$OUT/$e.txt"
	else
		# panic: the console from the experiment's start to the end of the boot
		sed -n "/^@@@ BEGIN $e\$/,\${/^@@@ /d;p}" "$log.lf" > "$OUT/$e.txt"
		echo "faults-oracle: $e did not return to the shell (console log kept)" >&2
	fi
	grep '^@@@ UNAME ' "$log.lf" | sed 's/^@@@ //' > "$OUT/VERSIONS.txt" || true
	echo "$e: $(wc -l < "$OUT/$e.txt") lines"
done
