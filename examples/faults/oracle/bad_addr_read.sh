#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod bad_addr.ko'
log
run 'cat $SYS/proc/modules'
