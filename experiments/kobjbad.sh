#!/bin/sh
# kobjbad: kobj_attribute callbacks that misbehave.  We are root.
. "${0%/*}/lib.sh"
K=$SYS/sys/kernel/kobjbad
note "K=\$SYS/sys/kernel/kobjbad"

note 'a mode set at run time: sysfs_create_file takes it, a group WARNs'
run 'insmod kobjbad.ko'
log
run 'ls $K $K/grp | sed "s|^$SYS||"'
run 'for f in open grp/x spin ok; do echo "$f $(stat -c "%a" $K/$f)"; done'

note 'show returns more than PAGE_SIZE, or exactly PAGE_SIZE'
run 'head -c 12 $K/long'
run 'wc -c < $K/long'
log
run 'wc -c < $K/full'
run 'head -c 10 $K/full'
log

note 'show and store return an errno'
run 'cat $K/errno'
run 'echo 1 > $K/errno'
log

note 'store returns 0: the writer is told nothing was written'
run 'echo 1 > $K/zero'
run 'cat $K/zero'

note 'what a store receives: at most PAGE_SIZE bytes, NUL-terminated'
run 'echo hi > $K/ok'
run 'dd if=/dev/zero of=$K/ok bs=5000 count=1 2>/dev/null'
run 'dd if=/dev/zero of=$K/ok bs=4096 count=1 2>/dev/null'
log

note 'show dereferences NULL: an oops kills the reader'
run 'cat $K/fault'
log
note 'the other files still answer'
run 'cat $K/ok'
run 'head -c 3 $K/long'
log
note 'the dead reader still holds the file active: removing the kobject waits for ever'
run 'grep "^kobjbad " $SYS/proc/modules | cut -d" " -f1,3,5'
run 'rmmod kobjbad >/dev/null 2>&1 & sleep 5; grep "^kobjbad " $SYS/proc/modules | cut -d" " -f1,3,5,7'
note 'its files are deactivated, which lookups take for gone; the rest of sysfs answers'
run 'ls $K'
run 'cat $K/ok'
run 'cat $SYS/sys/module/kobjbad/initstate'
