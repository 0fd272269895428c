#!/bin/sh
# chardev_bad: a character device whose driver goes wrong. A read that returns more than it was
# asked for (the kernel passes the count through), a read that oopses (the reader is killed, the
# file is still released), and a node whose number has no cdev behind it (open is ENXIO).
# not in modfs shell: it needs the devctl helper on PATH and names the opener "dash" as the guest's /bin/sh (test/oracle/replay.test.ts replays it at $SYS)
. "${0%/*}/lib.sh"
D=$SYS/dev/chardev
P=$SYS/sys/module/chardev/parameters/misbehave
note "D=\$SYS/dev/chardev P=\$SYS/sys/module/chardev/parameters/misbehave"

run 'insmod chardev.ko'
run 'echo 0123456789 > $D'
log
note 'read returns count + 100'
run 'echo 1 > $P'
run 'devctl read $D 4'
log
note 'read dereferences NULL'
run 'echo 2 > $P'
run 'cat $D'
log
run 'cat $SYS/sys/module/chardev/refcnt'
run 'echo 0 > $P'
run 'cat $D'
log
run 'rmmod chardev'
log
note 'device_create without cdev_add: the node is there, open finds no driver'
run 'insmod chardev.ko nocdev=1'
log
run 'cd $SYS/dev && ls chardev'
run 'cat $D'
run 'echo x > $D'
log
run 'rmmod chardev'
log
