#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod bug_param.ko'
log
run 'echo 50 > $SYS/sys/module/bug_param/parameters/limit'
log
run 'echo 101 > $SYS/sys/module/bug_param/parameters/limit'
log
run 'cat $SYS/proc/modules'
run 'cat /proc/sys/kernel/tainted'
note the oopsed writer still holds the module parameter lock
run 'timeout 3 cat $SYS/sys/module/bug_param/parameters/other'
run 'timeout 3 rmmod bug_param'
log
