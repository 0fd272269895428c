#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod bug_init.ko'
log
run 'cat $SYS/proc/modules'
run 'cat /proc/sys/kernel/tainted'
