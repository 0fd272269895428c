#!/bin/sh
# null_deref: an oops in init; what the module looks like afterwards.
. "${0%/*}/lib.sh"
run 'insmod null_deref.ko'
log
run 'cat $SYS/proc/modules'
run 'cat $SYS/sys/module/null_deref/initstate $SYS/sys/module/null_deref/refcnt $SYS/sys/module/null_deref/taint'
run 'cat /proc/sys/kernel/tainted'
run 'rmmod null_deref'
run 'rmmod -f null_deref'
log
note a second load of the same name waits, until timeout kills it after 3 s
run 'timeout 3 insmod null_deref.ko'
log
run 'insmod hello.ko'
log
run 'cat $SYS/proc/modules'
