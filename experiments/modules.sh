#!/bin/sh
# modules: several modules at once in /proc/modules and lsmod (newest
# first), and their sysfs directories.
. "${0%/*}/lib.sh"

run 'cat $SYS/proc/modules'
run 'lsmod'
run 'insmod hello.ko'
run 'insmod helloworld.ko num=1'
run 'insmod array.ko'
run 'insmod noexit.ko'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/helloworld'
run 'ls $SYS/sys/module/helloworld/parameters'
run 'cat $SYS/sys/module/helloworld/coresize $SYS/sys/module/helloworld/initsize $SYS/sys/module/helloworld/refcnt $SYS/sys/module/helloworld/initstate $SYS/sys/module/helloworld/taint'
run 'cat $SYS/sys/module/array/coresize $SYS/sys/module/noexit/coresize $SYS/sys/module/hello/coresize'
run 'cat $SYS/sys/module/noexit/initstate'
run 'rmmod helloworld'
run 'cat $SYS/proc/modules'
run 'rmmod hello array'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
note 'built-in code with parameters also lives in /sys/module; it is not in /proc/modules'
run 'ls $SYS/sys/module/printk/parameters'
run 'cat $SYS/sys/module/printk/parameters/time'
run 'rmmod printk'
