#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod exit_fault.ko'
log
run 'rmmod exit_fault'
log
run 'cat $SYS/proc/modules'
run 'cat $SYS/sys/module/exit_fault/initstate $SYS/sys/module/exit_fault/refcnt'
run 'rmmod exit_fault'
run 'rmmod -f exit_fault'
log
