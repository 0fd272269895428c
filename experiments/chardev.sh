#!/bin/sh
# chardev: a character device made the modern way (alloc_chrdev_region, cdev_add, class_create,
# device_create): its number in /proc/devices and /sys/class, its node in /dev, and what real
# tools do with it: echo stores, cat reads back, dd reads at an offset, ioctl clears and
# measures, poll says when there is something to read, rmmod is refused while it is open.
# devctl (scripts/oracle/devctl.c) makes the ioctl and poll calls.
# not in modfs shell: it needs the devctl helper on PATH and names the opener "dash" as the guest's /bin/sh (test/oracle/replay.test.ts replays it at $SYS)
. "${0%/*}/lib.sh"
D=$SYS/dev/chardev
note "D=\$SYS/dev/chardev"

run 'insmod chardev.ko'
log
run 'grep chardev $SYS/proc/devices'
run 'ls $SYS/sys/class/chardev'
run 'cat $SYS/sys/class/chardev/chardev/dev'
run 'cat $SYS/sys/class/chardev/chardev/uevent'
run 'cd $SYS/dev && ls -l chardev | sed "s/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9] / DATE /"'
run 'stat -c "%a %U %G" $D'
note 'the device is empty at first'
run 'cat $D'
log
run 'devctl poll $D'
note 'echo stores, cat reads back'
run 'echo hello world > $D'
log
run 'cat $D'
log
run 'devctl poll $D'
note 'dd reads from an offset (lseek through default_llseek)'
run 'dd if=$D bs=1 skip=6 count=5 status=none'
run 'head -c 5 $D'
note 'ioctls: _IOR reads the length, _IOW cuts it, _IO clears, an unknown one is ENOTTY'
run 'devctl ioctl $D ior k 1'
run 'devctl ioctl $D iow k 2 5'
run 'cat $D'
run 'devctl ioctl $D iow k 2 100'
run 'devctl ioctl $D io k 0'
run 'devctl ioctl $D ior k 1'
run 'devctl ioctl $D io k 9'
log
note 'a poller sleeping in poll is woken by a write'
run 'devctl pollwake $D again'
run 'cat $D'
log
note 'block=1: read sleeps in wait_event_interruptible until something is written'
run 'echo 1 > $SYS/sys/module/chardev/parameters/block'
run 'devctl ioctl $D io k 0'
run 'devctl readnb $D 16'
run 'devctl readwake $D woken'
run 'devctl ioctl $D io k 0'
run 'devctl readalarm $D 500'
run 'echo 0 > $SYS/sys/module/chardev/parameters/block'
log
note 'writes past the end of the 4096-byte buffer'
run 'cd $SYS/dev && dd if=/dev/zero of=chardev bs=4096 count=1 status=none'
run 'cd $SYS/dev && dd if=/dev/zero of=chardev bs=1 count=1 seek=4096 status=none'
run 'cd $SYS/dev && dd if=/dev/zero of=chardev bs=65536 count=4 status=none'
run 'cat $D | wc -c'
log
note 'rmmod while a descriptor is open'
run 'exec 3< $D; cat $SYS/sys/module/chardev/refcnt; rmmod chardev; exec 3<&-'
log
run 'cat $SYS/sys/module/chardev/refcnt'
run 'rmmod chardev'
log
run 'grep chardev $SYS/proc/devices'
run 'ls $SYS/sys/class/chardev'
run 'ls $SYS/dev/chardev'
