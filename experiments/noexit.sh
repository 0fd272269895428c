#!/bin/sh
# noexit: a module with init and no exit cannot be unloaded, unless forced.
. "${0%/*}/lib.sh"

run 'insmod noexit.ko'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/noexit'
run 'cat $SYS/sys/module/noexit/refcnt'
run 'cat $SYS/sys/module/noexit/taint'
note 'plain rmmod: refused'
run 'rmmod noexit'
log
run 'cat $SYS/proc/modules'
note 'a second load'
run 'insmod noexit.ko'
log
note 'rmmod -f forces it (and taints the kernel)'
run 'rmmod -f noexit'
log
run 'cat $SYS/proc/modules'
run 'ls $SYS/sys/module/noexit'
note 'it can be loaded again, and a module loaded afterwards shows the same taint'
run 'insmod noexit.ko'
log
run 'insmod hello.ko'
log
run 'cat $SYS/proc/modules'
run 'cat $SYS/sys/module/hello/taint'
run 'rmmod hello'
log
