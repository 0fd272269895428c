#!/usr/bin/env bash
# Rebuilds bench/cpu/cpubench.ko (committed, stripped of debug info) with kbuild in a scratch
# copy, so no build products land in the tree.   bash bench/cpu/build.sh   (KDIR=... to override)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$HERE/Makefile" "$HERE/cpubench.c" "$HERE/workloads.h" "$tmp/"
make -C "$KDIR" M="$tmp" modules >/dev/null
strip --strip-debug -o "$HERE/cpubench.ko" "$tmp/cpubench.ko"
echo "built $HERE/cpubench.ko ($(stat -c %s "$HERE/cpubench.ko") bytes)"
