#!/bin/sh
# callback: module_param_cb with the module's own ops.  level has set and
# get (range 0..10), changes only get, ping only set (with NOARG).
. "${0%/*}/lib.sh"
P=$SYS/sys/module/callback/parameters
note "P=\$SYS/sys/module/callback/parameters"

note 'load with values: the setters run before init'
run 'insmod callback.ko level=7 ping'
log
run 'ls $P'
run 'stat -c "%a %s" $P/level $P/changes $P/ping'
run 'cat $P/level'
run 'cat $P/changes'
note 'ping has no get: reading fails with EPERM'
run 'cat $P/ping'
note 'changes has no set: writing fails with EPERM'
run 'echo 1 > $P/changes'
run 'cat $P/changes'

note 'the custom setter accepts 0..10 and logs each change'
run 'echo 3 > $P/level'
run 'echo 11 > $P/level'
run 'echo -1 > $P/level'
run 'echo x > $P/level'
log
run 'cat $P/level'
run 'cat $P/changes'
run 'echo > $P/ping'
run 'printf hi > $P/ping'
log
run 'rmmod callback'
log

note 'load-time errors go through the same setter'
run 'insmod callback.ko level=11'
log
run 'insmod callback.ko level'
log
run 'insmod callback.ko ping=pong'
log
run 'cat $P/changes'
run 'rmmod callback'
log
run 'cat $SYS/proc/modules'
note 'a value for changes at load time would call its NULL set: see callback_oops'
