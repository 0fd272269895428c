#!/usr/bin/env bash
# Build the kernel's own lib/ self-test modules (test_bitmap.ko, test_printf.ko, ...) from
# Debian's linux-source-6.1 with kbuild against installed kernel headers, as the kernel's
# lib/Makefile would build them with CONFIG_TEST_*=m.
#
#   bash scripts/build-selftests.sh            prints the directory holding the .ko files
#   KDIR=/usr/src/linux-headers-6.1.0-57-amd64 bash scripts/build-selftests.sh
#
# Only the test sources and the one local header they include are taken out of the source
# tarball. The result is cached under node_modules/.cache/modfs-selftests/<release>/ and reused
# while the tarball, the headers and this script are unchanged, so a test run that finds it
# costs nothing. As root with apt-get and no linux-source-6.1, the package is installed (CI).
# Progress goes to stderr; stdout is the output directory only. Exit status 2 means something
# to build with is missing (headers, source, tools), 1 that the build itself failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
TARBALL=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}

# lib/Makefile: obj-$(CONFIG_...) += <name>.o for each of these. test-kstrtox keeps its dash.
TESTS=(test-kstrtox test_bitmap test_bitops test_hexdump test_memcat_p test_min_heap
	test_module test_printf test_scanf test_siphash test_string test_strscpy test_uuid)
# Local headers the tests include by relative path ("../tools/testing/...").
HEADERS=(tools/testing/selftests/kselftest_module.h)
# modfs's own companions (test/selftests/modules/*.c): they print the values the kernel's tests
# only check, so that a transcript pins them down.
EXTRA=()
for f in "$ROOT"/test/selftests/modules/*.c; do EXTRA+=("$(basename "$f" .c)"); done

say() { echo "build-selftests: $*" >&2; }

if [[ ! -f $KDIR/Makefile || ! -f $KDIR/Module.symvers ]]; then
	say "no kernel headers at $KDIR (apt-get install linux-headers-6.1.0-56-amd64, or set KDIR)"
	exit 2
fi
if [[ ! -r $TARBALL ]]; then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		say "installing linux-source-6.1"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.1 >&2
	fi
	if [[ ! -r $TARBALL ]]; then
		say "no kernel source $TARBALL (apt-get install linux-source-6.1, or set LINUX_SOURCE)"
		exit 2
	fi
fi
for tool in make gcc tar xz; do
	command -v "$tool" >/dev/null || { say "'$tool' is missing (apt-get install build-essential xz-utils)"; exit 2; }
done

RELEASE=$(basename "$(readlink -f "$KDIR")" | sed 's/^linux-headers-//')
OUT=${OUT:-$ROOT/node_modules/.cache/modfs-selftests/$RELEASE}
# What the cached build was made from: the tarball, the headers' configuration, this script.
KEY=$( {
	stat -c '%s %Y' "$TARBALL"
	readlink -f "$KDIR"
	cat "$KDIR/include/config/kernel.release" "$KDIR/Module.symvers" 2>/dev/null | md5sum
	cat "${BASH_SOURCE[0]}" "$ROOT"/test/selftests/modules/*.c | md5sum
} | md5sum | cut -d' ' -f1)

complete() {
	[[ -f $OUT/.key && $(cat "$OUT/.key") == "$KEY" ]] || return 1
	local t
	for t in "${TESTS[@]}" "${EXTRA[@]}"; do [[ -f $OUT/$t.ko ]] || return 1; done
}
if complete; then
	echo "$OUT"
	exit 0
fi

BUILD=$(mktemp -d "${TMPDIR:-/tmp}/modfs-selftests.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
members=()
for t in "${TESTS[@]}"; do members+=("linux-source-6.1/lib/$t.c"); done
for h in "${HEADERS[@]}"; do members+=("linux-source-6.1/$h"); done
say "extracting ${#members[@]} files from $(basename "$TARBALL")"
tar -xJf "$TARBALL" -C "$BUILD" --strip-components=1 "${members[@]}"
cp "$ROOT"/test/selftests/modules/*.c "$BUILD/lib/"

{
	echo "# lib/Makefile's rules for these objects, built as modules."
	for t in "${TESTS[@]}"; do echo "obj-m += $t.o"; done
	echo "CFLAGS_test_bitops.o += -Werror"
	for t in "${EXTRA[@]}"; do echo "obj-m += $t.o"; done
} > "$BUILD/lib/Kbuild"

say "building ${#TESTS[@]} + ${#EXTRA[@]} modules against $KDIR"
make -s -C "$KDIR" M="$BUILD/lib" modules -j"$(nproc)" >&2

mkdir -p "$OUT"
rm -f "$OUT"/*.ko "$OUT/.key"
for t in "${TESTS[@]}" "${EXTRA[@]}"; do cp "$BUILD/lib/$t.ko" "$OUT/"; done
echo "$KEY" > "$OUT/.key"
echo "$OUT"
