#!/bin/sh
# positive: init returns 1.  The kernel warns, dumps the stack and loads
# the module anyway.
. "${0%/*}/lib.sh"

run 'insmod positive.ko'
log
run 'cat $SYS/proc/modules'
run 'cat $SYS/sys/module/positive/initstate'
run 'cat $SYS/sys/module/positive/taint'
run 'cat $SYS/sys/module/positive/refcnt'
run 'rmmod positive'
log
note 'a second load warns again'
run 'insmod positive.ko'
log
run 'rmmod positive'
log
