#!/usr/bin/env bash
# Write src/kernel/api/real-exports.txt.gz: every symbol Debian's 6.1.0-56
# kernel exports (Module.symvers), one "NAME<TAB>OWNER<TAB>G" line each, where
# OWNER is vmlinux or the in-tree module that exports it and G marks
# EXPORT_SYMBOL_GPL.  These are facts of the kernel's binary interface (names,
# not code).  modfs reads the file to tell a user which symbols a module needs
# that the real kernel has but modfs does not implement.
#
#   bash scripts/extract-exports.sh [path/to/Module.symvers]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SYMVERS=${1:-/usr/src/linux-headers-6.1.0-56-amd64/Module.symvers}
[[ -r $SYMVERS ]] || { echo "extract-exports: cannot read $SYMVERS (apt-get install linux-headers-6.1.0-56-amd64)" >&2; exit 1; }
awk -F'\t' '{ m = $3; sub(/.*\//, "", m); print $2 "\t" m "\t" ($4 == "EXPORT_SYMBOL_GPL" ? "G" : "") }' "$SYMVERS" |
	LC_ALL=C sort -u | gzip -9n > "$ROOT/src/kernel/api/real-exports.txt.gz"
echo "extract-exports: $(zcat "$ROOT/src/kernel/api/real-exports.txt.gz" | wc -l) exports"
