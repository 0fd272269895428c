#!/usr/bin/env bash
# Build the hand-written differential corpus (examples/diff/*.c) twice and refresh its fixtures:
#   - as kernel modules by kbuild (<name>.ko at -O2, <name>_os.ko at -Os), stripped of debug info
#     into examples/diff/ko/;
#   - as native programs (gcc -O2 and -Os, with the kernel's -fno-strict-overflow and
#     -fno-strict-aliasing), whose stdout becomes examples/diff/expected/<name>.txt.
# The -O2 and -Os native outputs must agree (the corpus has no undefined behaviour), and
# test/diff/corpus.test.ts checks each module's log against expected/<name>.txt.
#
#   bash scripts/diff-build.sh        (KDIR=... to use other headers)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/examples/diff
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
[[ -f $KDIR/Makefile ]] || { echo "diff-build.sh: no kernel headers at $KDIR (apt-get install linux-headers-6.1.0-56-amd64, or set KDIR)" >&2; exit 1; }
NATIVE_FLAGS=(-O2 -fno-strict-overflow -fno-strict-aliasing -fno-delete-null-pointer-checks -w)
CORPUS=$(sed -n 's/^CORPUS := //p' "$SRC/Makefile")

if [[ ! -f $KDIR/Makefile ]]; then
	echo "diff-build: no kernel headers at $KDIR (apt-get install linux-headers-amd64)" >&2
	exit 1
fi

make -C "$KDIR" M="$SRC" -j"$(nproc)" modules

mkdir -p "$SRC/ko" "$SRC/expected"
rm -f "$SRC"/ko/*.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in $CORPUS; do
	for v in "$name" "${name}_os"; do
		strip --strip-debug -o "$SRC/ko/$v.ko" "$SRC/$v.ko"
		if strings -a "$SRC/ko/$v.ko" | grep -q -F -e "$ROOT" -e /work/ -e /tmp/ -e /home/; then
			echo "diff-build: $v.ko still contains a build path" >&2
			exit 1
		fi
	done
	gcc "${NATIVE_FLAGS[@]}" -o "$tmp/$name" "$SRC/$name.c"
	gcc "${NATIVE_FLAGS[@]/-O2/-Os}" -o "$tmp/${name}_os" "$SRC/$name.c"
	timeout 10 "$tmp/$name" >"$SRC/expected/$name.txt"
	timeout 10 "$tmp/${name}_os" >"$tmp/${name}_os.txt"
	if ! cmp -s "$SRC/expected/$name.txt" "$tmp/${name}_os.txt"; then
		echo "diff-build: $name: native -O2 and -Os outputs differ (undefined behaviour?)" >&2
		diff "$SRC/expected/$name.txt" "$tmp/${name}_os.txt" >&2 || true
		exit 1
	fi
	printf 'diff-build: %-10s %3d lines, ko %6d / %6d bytes (-O2 / -Os)\n' "$name" \
		"$(wc -l <"$SRC/expected/$name.txt")" "$(stat -c %s "$SRC/ko/$name.ko")" "$(stat -c %s "$SRC/ko/${name}_os.ko")"
done
