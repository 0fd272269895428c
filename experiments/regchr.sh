#!/bin/sh
# regchr: register_chrdev, the old API that takes a whole major, with a dynamic major, a fixed
# free one, one above the maximum and one that a built-in driver holds; /proc/devices as the
# kernel lists its own majors and the module's.
# not in modfs shell: it needs the devctl helper on PATH and names the opener "dash" as the guest's /bin/sh (test/oracle/replay.test.ts replays it at $SYS)
. "${0%/*}/lib.sh"

run 'cat $SYS/proc/devices'
run 'insmod regchr.ko'
log
run 'grep regchr $SYS/proc/devices'
run 'rmmod regchr'
log
run 'insmod regchr.ko major=300'
log
run 'grep -n regchr $SYS/proc/devices'
run 'rmmod regchr'
log
note 'refusals: above the maximum, and a major whose minors are taken'
run 'insmod regchr.ko major=600'
log
run 'insmod regchr.ko major=1'
log
run 'insmod regchr.ko major=511'
log
run 'grep regchr $SYS/proc/devices'
run 'rmmod regchr'
log
run 'grep -c regchr $SYS/proc/devices'
note 'a module that forgets unregister_chrdev: its major outlives it'
run 'insmod regchr.ko leak=1'
log
run 'rmmod regchr'
log
run 'grep regchr $SYS/proc/devices'
run 'insmod regchr.ko'
log
run 'grep regchr $SYS/proc/devices'
run 'rmmod regchr'
log
run 'grep regchr $SYS/proc/devices'
note 'names that are taken: a class, and a device in its class'
run 'insmod regchr.ko cls=misc'
log
run 'insmod regchr.ko cls=regclass twice=1'
log
run 'ls $SYS/sys/class/regclass'
run 'insmod regchr.ko cls=regclass'
log
run 'ls $SYS/sys/class/regclass'
run 'cat $SYS/sys/class/regclass/regchr/dev'
run 'cd $SYS/dev && ls regchr'
run 'cat $SYS/dev/regchr'
log
run 'rmmod regchr'
log
run 'ls $SYS/sys/class/regclass'
