#!/bin/sh
# callback_oops: a load-time value for a parameter whose ops have no set.
# sysfs refuses such writes with EPERM, but parse_args calls ops->set
# without checking it: the real kernel oopses on a NULL pointer, insmod is
# killed, and the module stays half-loaded ("Loading", refcnt 1) for good.
# modfs is not expected to reproduce the oops (kernel-facts treats it as a
# bug); this transcript records what the real kernel does, and what a
# module that is stuck in COMING looks like.
. "${0%/*}/lib.sh"

run 'insmod callback.ko changes=3'
log
run 'cat $SYS/proc/modules'
run 'lsmod'
run 'ls $SYS/sys/module/callback'
run 'rmmod callback'
run 'rmmod -f callback'
log
note 'loading callback.ko again would now block for ever: the kernel waits for'
note 'the module of the same name to leave COMING (not run here)'
