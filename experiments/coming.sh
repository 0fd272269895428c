#!/bin/sh
# coming: a module whose exporter never finished its init (seed 002: an exporter is usable only
# once it is live). coming_exporter's init oopses with crash=1, so it stays Loading; loading
# coming_user then waits 30 s for that init (resolve_symbol_wait), gives up and fails with EBUSY.
. "${0%/*}/lib.sh"

run 'insmod coming_exporter.ko crash=1'
log
run 'cat $SYS/proc/modules'
run 'cat $SYS/sys/module/coming_exporter/initstate'
note 'waits 30 seconds for the exporter'
run 'insmod coming_user.ko'
log
run 'cat $SYS/proc/modules'
