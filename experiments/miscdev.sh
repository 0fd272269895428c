#!/bin/sh
# miscdev: a misc device (misc_register with a dynamic minor and mode 0666): its minor under
# major 10, /sys/class/misc/miscdev, /dev/miscdev with the device's mode, a read that greets the
# reader by pid and comm from `current`, file->private_data set by misc_open, and a fixed minor
# that is already taken.
# not in modfs shell: it needs the devctl helper on PATH and names the opener "dash" as the guest's /bin/sh (test/oracle/replay.test.ts replays it at $SYS)
. "${0%/*}/lib.sh"
D=$SYS/dev/miscdev
note "D=\$SYS/dev/miscdev"

run 'insmod miscdev.ko'
log
run 'grep misc $SYS/proc/devices'
run 'cat $SYS/sys/class/misc/miscdev/dev'
run 'cat $SYS/sys/class/misc/miscdev/uevent'
run 'cd $SYS/dev && ls -l miscdev | sed "s/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9] / DATE /"'
run 'stat -c "%a %U %G" $D'
run 'cat $D'
log
run 'head -c 6 $D; echo'
log
note 'misc devices without a write handler: write(2) is EINVAL'
run 'echo hi > $D'
log
note 'rmmod while open'
run 'exec 3< $D; rmmod miscdev; exec 3<&-'
log
run 'rmmod miscdev'
log
run 'ls $SYS/sys/class/misc/miscdev'
run 'ls $D'
note 'a fixed minor that a built-in driver holds'
run 'insmod miscdev.ko minor=228'
log
note 'a fixed minor that is free'
run 'insmod miscdev.ko minor=100'
log
run 'cat $SYS/sys/class/misc/miscdev/dev'
run 'rmmod miscdev'
log
