#!/bin/sh
# hello: load and unload the smallest module (seed 000), and look at
# everything the kernel shows about a loaded module.
. "${0%/*}/lib.sh"

note 'load, then the raw kernel log (timestamps vary between runs)'
run 'insmod hello.ko'
run 'dmesg -c'

note 'the module in /proc/modules, lsmod and sysfs'
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/hello'
run 'cat $SYS/sys/module/hello/initstate'
run 'cat $SYS/sys/module/hello/refcnt'
run 'cat $SYS/sys/module/hello/coresize'
run 'cat $SYS/sys/module/hello/initsize'
run 'cat $SYS/sys/module/hello/taint'
run 'stat -c "%a %s" $SYS/sys/module/hello/initstate $SYS/sys/module/hello/refcnt $SYS/sys/module/hello/coresize $SYS/sys/module/hello/initsize $SYS/sys/module/hello/taint $SYS/sys/module/hello/uevent'
run 'stat -c "%a" $SYS/sys/module/hello $SYS/sys/module/hello/holders $SYS/sys/module/hello/sections $SYS/sys/module/hello/notes'
run 'ls $SYS/sys/module/hello/holders'
run 'ls -a $SYS/sys/module/hello/notes'
run 'ls -a $SYS/sys/module/hello/sections'
run 'stat -c "%a %s" $SYS/sys/module/hello/sections/.exit.text $SYS/sys/module/hello/sections/.gnu.linkonce.this_module'
run 'stat -c "%a %s" $SYS/proc/modules'
log

note 'loading it a second time'
run 'insmod hello.ko'
log

note 'unload'
run 'rmmod hello'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/hello'

note 'unload of a module that is not loaded'
run 'rmmod hello'
run 'rmmod -f hello'
run 'rmmod nosuchmodule'
log

note 'rmmod also takes a path to the .ko'
run 'insmod hello.ko'
run 'rmmod hello.ko'
log

note 'insmod of a file that does not exist'
run 'insmod nosuch.ko'
log
