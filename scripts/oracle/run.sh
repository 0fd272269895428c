#!/bin/bash
# scripts/oracle/run.sh: ask the real Debian kernel that modfs emulates.
#
# Builds an initramfs holding busybox, kmod's insmod/rmmod/lsmod, util-linux
# dmesg, experiments/*.sh and the .ko fixtures, boots the real kernel under
# QEMU (software emulation), runs each experiment in a freshly booted kernel
# and writes what it printed to transcripts/<experiment>.txt.
#
# Usage: scripts/oracle/run.sh [experiment ...]     (default: all)
# Environment:
#   RELEASE  kernel release to boot (default: the one modfs emulates by default, as
#            `modfs kernel` shows it: the installed headers' release, else the bundled
#            6.1.0-56-amd64); the image is linux-image-RELEASE (installed when missing, as root)
#   KO_DIR   directory of .ko files to ship (default examples/ko for the bundled release, else
#            examples/build/RELEASE, which `npm run examples` builds with the same headers)
#   OUT      transcript directory (default transcripts)
#   KERNEL   kernel image (default /boot/vmlinuz-RELEASE)
#   JOBS     boots run at the same time (default: number of CPUs)
#   TIMEOUT  seconds allowed per boot (default 300)
#   COMMIT=1 git-commit the transcripts afterwards
#
# Needs: qemu-system-x86, linux-image-RELEASE, busybox-static, cpio,
# kmod, util-linux (all Debian packages).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLED=6.1.0-56-amd64
RELEASE=${RELEASE:-$(node "$ROOT/bin/modfs.js" kernel -F release 2>/dev/null || echo "$BUNDLED")}
KERNEL=${KERNEL:-/boot/vmlinuz-$RELEASE}
if [ ! -r "$KERNEL" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "run.sh: installing linux-image-$RELEASE for $KERNEL" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "linux-image-$RELEASE" >&2 || true
fi
if [ "$RELEASE" = "$BUNDLED" ]; then
	KO_DIR=${KO_DIR:-$ROOT/examples/ko}
else
	KO_DIR=${KO_DIR:-$ROOT/examples/build/$RELEASE}
fi
[ -d "$KO_DIR" ] || { echo "run.sh: no modules in $KO_DIR (npm run examples builds them for $RELEASE)" >&2; exit 1; }
OUT=${OUT:-$ROOT/transcripts}
JOBS=${JOBS:-$(nproc)}
TIMEOUT=${TIMEOUT:-300}
# tsc=reliable: no clocksource watchdog, whose complaints about emulated
# time ("clocksource: Long readout interval, skipping watchdog check")
# would otherwise land in the middle of an experiment's kernel log.
APPEND_BASE="console=ttyS0 quiet loglevel=0 panic=-1 tsc=reliable"
# kernel messages that are emulation noise, not module behaviour: an
# experiment whose log shows one is booted again
NOISE='^kmsg: (clocksource|hrtimer|rcu|watchdog|sched|perf|NMI watchdog|INFO: task)'

for tool in qemu-system-x86_64 cpio busybox kmod dmesg; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
[ -r "$KERNEL" ] || { echo "run.sh: no kernel image $KERNEL" >&2; exit 1; }

if [ $# -gt 0 ]; then
	EXPS=("$@")
else
	EXPS=()
	for f in "$ROOT"/experiments/*.sh; do
		n=$(basename "$f" .sh)
		[ "$n" = lib ] || EXPS+=("$n")
	done
fi

WORK=$(mktemp -d /tmp/oracle.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,proc,sys,dev,tmp,ko,experiments,etc,root}
KVER=$(basename "$KERNEL" | sed 's/^vmlinuz-//')
mkdir -p "$R/lib/modules/$KVER"
# kmod learns from these which modules are built in ("rmmod: ERROR: Module
# printk is builtin."), as on an installed system
cp /lib/modules/"$KVER"/modules.builtin* "$R/lib/modules/$KVER/" 2>/dev/null || true
# depmod orders modules.dep by it, as on an installed system (modfs shell seeds the same files)
cp /lib/modules/"$KVER"/modules.order "$R/lib/modules/$KVER/" 2>/dev/null || true

# busybox and its applets, except the module tools and dmesg
cp /bin/busybox "$R/bin/busybox"
for a in $(busybox --list); do
	case $a in
	busybox | insmod | rmmod | lsmod | modprobe | depmod | modinfo | dmesg) ;;
	*) ln -s busybox "$R/bin/$a" ;;
	esac
done

# copy a host binary and the shared libraries ldd lists for it
copy_bin() {
	local src=$1 dst=$2 lib
	cp -L "$src" "$R$dst"
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
}
copy_bin /usr/bin/kmod /usr/bin/kmod
for t in insmod rmmod lsmod modprobe depmod modinfo; do ln -s ../usr/bin/kmod "$R/sbin/$t"; done
copy_bin /usr/bin/dmesg /usr/bin/dmesg
# The experiments run under dash with coreutils, exactly the shell and tools
# of the host where modfs replays them.  (busybox sh prefers its own applets
# to anything on PATH, so under it insmod would be busybox's insmod, which
# retries a failed load and words its errors differently.)
for t in dash cat ls stat head wc rm grep sed setpriv tail sort cp mkdir id readelf dd od date; do copy_bin "/usr/bin/$t" "/usr/bin/$t"; done
# The tutorials edit parameters with vi (Debian's vim), and type `sudo` before the module
# tools: here everything runs as root already, so sudo only runs its command (under dash:
# busybox sh would run its own applets instead).
copy_bin "$(readlink -f /usr/bin/vi)" /usr/bin/vi
printf '#!/usr/bin/dash\nexec "$@"\n' > "$R/usr/bin/sudo"
chmod +x "$R/usr/bin/sudo"
# Names for ls -l, and the unprivileged user of the non-root experiments.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"

cp "$ROOT"/experiments/*.sh "$R/experiments/"
# devctl: the ioctl and poll calls of the device experiments (no tool of the guest makes them)
gcc -static -O2 -o "$R/usr/bin/devctl" "$ROOT/scripts/oracle/devctl.c"
cp "$KO_DIR"/*.ko "$R/ko/"

cat > "$R/init" <<'EOF'
#!/bin/sh
export PATH=/sbin:/usr/bin:/bin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo
echo "@@@ UNAME $(uname -a)"
echo "@@@ KMOD $(/usr/bin/kmod --version 2>&1 | head -n 1)"
echo "@@@ DMESG $(/usr/bin/dmesg --version 2>&1 | head -n 1)"
echo "@@@ COREUTILS $(/usr/bin/cat --version 2>&1 | head -n 1)"
for e in $EXPERIMENTS; do
	cd /
	echo "@@@ BEGIN $e"
	# An experiment of an unprivileged user: its "#@root CMD" lines prepare as root (their
	# output is not part of the transcript), then the script runs as nobody.
	if grep -q '^#@root ' "/experiments/$e.sh"; then
		sed -n 's/^#@root //p' "/experiments/$e.sh" > /tmp/setup.sh
		(cd /ko && /usr/bin/dash /tmp/setup.sh) > /dev/null 2>&1
		SYS= KO=/ko HOME=/tmp /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/dash "/experiments/$e.sh" 2>&1
	else
		SYS= KO=/ko /usr/bin/dash "/experiments/$e.sh" 2>&1
	fi
	echo "@@@ END $e rc=$?"
done
echo "@@@ DONE"
poweroff -f
EOF
chmod +x "$R/init"

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.gz"

# boot NAME: one kernel boot running experiment NAME, serial log to $WORK/NAME.log
# A boot now and then dies silently before /init runs (seen once in
# twenty boots under TCG); such a boot is retried once.
boot() {
	local e=$1 try
	for try in 1 2; do
		timeout "$TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -m 512 \
			-kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
			-append "$APPEND_BASE EXPERIMENTS=$e" \
			< /dev/null > "$WORK/$e.log" 2>&1 || echo "run.sh: boot for $e exited with $?" >&2
		grep -q "^@@@ BEGIN $e" "$WORK/$e.log" && return 0
		echo "run.sh: boot $try for $e never reached /init" >&2
	done
}

# boot_all NAME...: boot each, $JOBS at a time
boot_all() {
	local e running=0
	for e in "$@"; do
		boot "$e" &
		running=$((running + 1))
		if [ "$running" -ge "$JOBS" ]; then
			wait -n || true
			running=$((running - 1))
		fi
	done
	wait
}

# extract NAME: the experiment's part of the serial log, into $WORK/NAME.txt
extract() {
	local e=$1 log=$WORK/$1.log
	tr -d '\r' < "$log" > "$log.lf"
	grep -q "^@@@ END $e rc=" "$log.lf" || return 1
	sed -n "/^@@@ BEGIN $e\$/,/^@@@ END $e rc=/{/^@@@ /d;p}" "$log.lf" > "$WORK/$e.txt"
}

mkdir -p "$OUT"
start=$(date +%s)
boot_all "${EXPS[@]}"
again=()
for e in "${EXPS[@]}"; do
	if extract "$e" && grep -Eq "$NOISE" "$WORK/$e.txt"; then
		echo "run.sh: $e: emulation noise in the kernel log, booting again:" >&2
		grep -E "$NOISE" "$WORK/$e.txt" >&2
		again+=("$e")
	fi
done
[ ${#again[@]} -eq 0 ] || boot_all "${again[@]}"

status=0
written=()
for e in "${EXPS[@]}"; do
	log=$WORK/$e.log
	if ! extract "$e"; then
		echo "run.sh: $e did not finish; serial log follows" >&2
		tail -n 40 "$log.lf" >&2
		status=1
		continue
	fi
	if grep -Eq "$NOISE" "$WORK/$e.txt"; then
		echo "run.sh: $e: still noisy, transcript not updated" >&2
		status=1
		continue
	fi
	cp "$WORK/$e.txt" "$OUT/$e.txt"
	written+=("$OUT/$e.txt")
	grep -o '@@@ \(UNAME\|KMOD\|DMESG\|COREUTILS\) .*' "$log.lf" | sed 's/^@@@ //' > "$WORK/versions"
	echo "$e: $(wc -l < "$OUT/$e.txt") lines"
done
if [ -s "$WORK/versions" ]; then
	cp "$WORK/versions" "$OUT/VERSIONS.txt"
	written+=("$OUT/VERSIONS.txt")
fi
echo "run.sh: ${#EXPS[@]} experiment(s) in $(($(date +%s) - start)) s"

# COMMIT=1: commit exactly the files written above, nothing else
if [ "${COMMIT:-0}" = 1 ] && [ "$status" = 0 ] && [ ${#written[@]} -gt 0 ]; then
	git -C "$ROOT" add -- "${written[@]}"
	git -C "$ROOT" commit -q -m "transcripts: regenerate from the real $RELEASE kernel" -- "${written[@]}" || true
fi
exit "$status"
