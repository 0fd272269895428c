#!/bin/sh
# qemu: -smp 2
. "${0%/*}/lib.sh"
insmod lockup.ko > /tmp/insmod.out 2>&1 &
sleep 40
log
run 'cat $SYS/proc/modules'
run 'cat /proc/sys/kernel/tainted'
