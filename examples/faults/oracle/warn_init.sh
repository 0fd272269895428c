#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod warn_init.ko'
log
run 'cat $SYS/proc/modules'
run 'cat /proc/sys/kernel/tainted'
run 'rmmod warn_init'
log
