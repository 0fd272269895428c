#!/bin/sh
# dbgleak: dbgcount.ko leak=1 returns from exit without debugfs_remove, so
# its debugfs files outlive it.  We are root.
. "${0%/*}/lib.sh"
D=$SYS/sys/kernel/debug/dbgcount
note "D=\$SYS/sys/kernel/debug/dbgcount"

run 'insmod dbgcount.ko leak=1'
run 'rmmod dbgcount'
log
note 'the files stay after the module is gone'
run 'ls $D'
note 'loading it again: the directory name is taken, init fails'
run 'insmod dbgcount.ko'
log
note 'a typed file reads a variable that is no longer there'
run 'cat $D/counter'
log
note 'the module file_operations are gone too: opening it faults'
run 'cat $D/reads'
log
run 'ls $D'
