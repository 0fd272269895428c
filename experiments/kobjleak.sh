#!/bin/sh
# kobjleak: kobjattr.ko leak=1 returns from exit without kobject_put, so its
# kobjects are never released.  We are root.
. "${0%/*}/lib.sh"
K=$SYS/sys/kernel/kobjattr
note "K=\$SYS/sys/kernel/kobjattr"

run 'insmod kobjattr.ko leak=1'
log
run 'echo 5 > $K/value'
run 'rmmod kobjattr'
log
note 'the directory and its files stay after the module is gone'
run 'ls $K $K/stats $K/child | sed "s|^$SYS||"'
run 'for f in value stats/writes; do echo "$f $(stat -c "%a %s" $K/$f)"; done'
run 'grep kobjattr $SYS/proc/modules'

note 'loading it again: the name is taken'
run 'insmod kobjattr.ko'
log
run 'grep kobjattr $SYS/proc/modules'

note 'reading a leftover attribute runs code that is no longer there'
run 'cat $K/value'
log
run 'ls $K'
