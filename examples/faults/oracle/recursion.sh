#!/bin/sh
# qemu: console
. "${0%/*}/lib.sh"
run 'insmod recursion.ko'
log
run 'cat $SYS/proc/modules'
