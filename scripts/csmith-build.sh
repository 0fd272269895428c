#!/usr/bin/env bash
# Build csmith programs twice: as kernel modules (Debian 6.1 kbuild, stub headers from
# examples/diff/csmith/include, main renamed csmith_main and called from the module's init) and
# as native programs (gcc -O2). Run the native programs with a 1 s timeout.
#
#   scripts/csmith-build.sh BUILD_DIR SEED...
#
# For each seed S, BUILD_DIR gets cs_S.c (csmith --seed S $CSMITH_OPTS: deterministic for a
# given csmith version), cs_S.ko (stripped of debug info) and one line in BUILD_DIR/native.tsv:
#   S <tab> ok|timeout|crash|build-failed <tab> checksum line (or -) <tab> native ms
# Modules that kbuild fails to build are missing from BUILD_DIR (reported in kbuild.log).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
[[ -f $KDIR/Makefile ]] || { echo "csmith-build.sh: no kernel headers at $KDIR (apt-get install linux-headers-6.1.0-56-amd64, or set KDIR)" >&2; exit 1; }
STUBS=$ROOT/examples/diff/csmith/include
CSMITH_OPTS=${CSMITH_OPTS:---no-argc --no-float}
CSMITH_INC=${CSMITH_INC:-/usr/include/csmith}
JOBS=${JOBS:-$(nproc)}
NATIVE_TIMEOUT=${NATIVE_TIMEOUT:-1}

dir=${1:?usage: csmith-build.sh BUILD_DIR SEED...}
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

objs=()
: >"$dir/native.tsv"
for s in "$@"; do
	src=$dir/cs_$s.c
	if ! csmith --seed "$s" $CSMITH_OPTS -o "$src" >/dev/null 2>&1; then
		printf '%s\tbuild-failed\t-\t0\n' "$s" >>"$dir/native.tsv"
		continue
	fi
	if ! gcc -O2 -w -fno-strict-overflow -fno-strict-aliasing -I"$CSMITH_INC" -o "$dir/native_$s" "$src" 2>/dev/null; then
		printf '%s\tbuild-failed\t-\t0\n' "$s" >>"$dir/native.tsv"
		continue
	fi
	t0=$(date +%s%N)
	timeout "$NATIVE_TIMEOUT" "$dir/native_$s" >"$dir/native_$s.out" 2>/dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	rm -f "$dir/native_$s"
	if [[ $rc -eq 124 ]]; then
		printf '%s\ttimeout\t-\t%s\n' "$s" "$ms" >>"$dir/native.tsv"
		continue
	elif [[ $rc -ne 0 ]]; then
		printf '%s\tcrash\t-\t%s\n' "$s" "$ms" >>"$dir/native.tsv"
		continue
	fi
	printf '%s\tok\t%s\t%s\n' "$s" "$(tr -d '\n' <"$dir/native_$s.out")" "$ms" >>"$dir/native.tsv"
	objs+=("cs_$s.o")
done

[[ ${#objs[@]} -gt 0 ]] || exit 0
cat >"$dir/Makefile" <<MK
obj-m := ${objs[*]}
ccflags-y := -I$STUBS -I$CSMITH_INC -Dmain=csmith_main -include $STUBS/csmith-module.h -w
MK
# -k: one program kbuild cannot build must not stop the others.
make -k -C "$KDIR" M="$dir" -j"$JOBS" modules >"$dir/kbuild.log" 2>&1
for o in "${objs[@]}"; do
	ko=$dir/${o%.o}.ko
	[[ -f $ko ]] && strip --strip-debug "$ko"
done
rm -f "$dir"/*.o "$dir"/*.mod "$dir"/*.mod.c "$dir"/.*.cmd
exit 0
