#!/bin/sh
# deps: module stacking (seeds 001/002): an exporting module, a module that uses its symbols,
# holders and reference counts, and the unload order rules.
. "${0%/*}/lib.sh"

note 'the user alone: its imports are unknown'
run 'insmod importer.ko'
log
note 'the exporter, then the user'
run 'insmod exporter.ko'
log
run 'insmod importer.ko step=5'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'cat $SYS/sys/module/exporter/refcnt'
run 'ls $SYS/sys/module/exporter/holders'
run 'cat $SYS/sys/module/exporter/version'
run 'cat $SYS/sys/module/exporter/srcversion'
run 'ls $SYS/sys/module/exporter'
note 'the exporter cannot go while it is used, not even forced'
run 'rmmod exporter'
run 'rmmod -f exporter'
log
note 'unload in order'
run 'rmmod importer'
log
run 'cat $SYS/sys/module/exporter/refcnt'
run 'ls $SYS/sys/module/exporter/holders'
run 'rmmod exporter'
log
run 'cat $SYS/proc/modules'
