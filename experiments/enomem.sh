#!/bin/sh
# enomem: init returns -ENOMEM.  The load fails and leaves no trace.
. "${0%/*}/lib.sh"

run 'insmod enomem.ko'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/enomem'
run 'rmmod enomem'
note 'the same again: a second failure, not "File exists"'
run 'insmod enomem.ko'
log
note 'parameters are checked before init: an unknown one is ignored, init still fails'
run 'insmod enomem.ko foo=1'
log
