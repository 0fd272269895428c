#!/bin/sh
# kallsyms: /proc/kallsyms as the module loader fills it (seed 002's exporter and importer):
# each module's symbols in symbol-table order with their nm-style types, upper case only for
# EXPORT_SYMBOL exports, and values hidden from a reader without CAP_SYSLOG. The kernel image's
# own symbols are not compared (modfs has no vmlinux); module addresses are masked (KASLR).
. "${0%/*}/lib.sh"

run 'insmod exporter.ko'
run 'insmod importer.ko'
log
note 'the modules part, newest module first (addresses masked)'
run "grep '\\[[a-z]*\\]\$' \$SYS/proc/kallsyms | sed 's/^ffffffffc[0-9a-f]* /<addr> /'"
note 'an unprivileged reader sees every value as zero'
run "setpriv --reuid=65534 --regid=65534 --clear-groups grep -c -v '^0000000000000000 ' \$SYS/proc/kallsyms"
run "setpriv --reuid=65534 --regid=65534 --clear-groups grep '\\[exporter\\]\$' \$SYS/proc/kallsyms"
run 'rmmod importer'
run "grep -c '\\[importer\\]\$' \$SYS/proc/kallsyms"
run 'rmmod exporter'
log
