#!/bin/sh
# kobjattr: a module's own kobject under /sys/kernel (kobject_create_and_add
# on kernel_kobj) with kobj_attribute files, a named attribute group and an
# embedded kobject with its own kobj_type.  We are root.
. "${0%/*}/lib.sh"
K=$SYS/sys/kernel/kobjattr
note "K=\$SYS/sys/kernel/kobjattr"

run 'insmod kobjattr.ko'
log
run 'ls $K'
run 'ls $K/stats $K/child | sed "s|^$SYS||"'
run 'ls -l --time-style=+ $K'
run 'ls -l --time-style=+ $K/stats'
run 'for f in . value square stats stats/writes child child/id; do echo "$f $(stat -c "%a %s %F %U:%G" $K/$f)"; done'
run 'cat $K/value'
run 'cat $K/square'
run 'cat $K/stats/summary'
run 'cat $K/child/id'

note 'a store parses the bytes it is given (kstrtoint, base 0)'
run 'echo 12 > $K/value'
run 'cat $K/value $K/square $K/stats/writes'
run 'printf 0x10 > $K/value'
run 'cat $K/value'
run 'echo -7 > $K/value'
run 'cat $K/square'
log
note 'a bad number fails the write with the store errno'
run 'echo twelve > $K/value'
run 'echo 99999999999 > $K/value'
run 'echo "12 13" > $K/value'
run 'printf "" > $K/value'
run 'cat $K/value $K/stats/writes'
log
note 'a write at an offset still reaches the store, from its first byte'
run 'printf 21 | dd of=$K/value bs=10 seek=1 conv=notrunc 2>/dev/null'
run 'cat $K/value'
log
note 'sscanf in a store: the first word only'
run 'echo "hello world" > $K/stats/note'
run 'cat $K/stats/note'
run 'echo > $K/stats/note'
run 'cat $K/stats/note'

note 'reads: the whole value at offset 0, pieces after that'
run 'head -c 3 $K/stats/summary'
run 'dd if=$K/stats/summary bs=1 skip=9 count=8 2>/dev/null'
run 'dd if=$K/stats/summary bs=4 count=3 2>/dev/null'
run 'wc -c < $K/stats/summary'

note 'read-only attributes refuse writers, even root'
run 'echo 1 > $K/square'
run 'echo 1 > $K/stats/writes'
run 'echo 1 > $K/child/id'
note 'no new files in a sysfs directory'
run 'echo 1 > $K/newfile'
run 'mkdir $K/sub 2>/dev/null'
run 'rm $K/value 2>/dev/null'
log

run 'rmmod kobjattr'
log
run 'ls $K'
run 'ls $SYS/sys/kernel | grep kobjattr'

note 'dup=1: init creates value a second time'
run 'insmod kobjattr.ko dup=1'
log
run 'ls $K'
note 'an open attribute does not pin the module; once it is gone the descriptor reads ENODEV'
run '{ grep "^kobjattr " $SYS/proc/modules | cut -d" " -f1-3; rmmod kobjattr; cat; } < $K/value'
log
