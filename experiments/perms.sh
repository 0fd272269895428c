#!/bin/sh
# perms: parameter file modes.  types.ko has 0444 (ro_*), 0600 (owner) and
# perm-0 (hidden) parameters next to 0644 ones.  We are root.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/types/parameters
note "P=\$SYS/sys/module/types/parameters"

note 'read-only and hidden parameters can be set at load time'
run 'insmod types.ko ro_int=8 ro_charp=set_at_load ro_bool=1 hidden=5 owner=601'
log
run 'ls $P'
run 'stat -c "%a %s" $P/mybyte $P/ro_int $P/ro_ulong $P/ro_bool $P/ro_charp $P/ro_string $P/owner $P/shorts $P/bools'
run 'stat -c "%a" $P'
run 'cat $P/ro_int'
run 'cat $P/ro_charp'
run 'cat $P/ro_bool'
run 'cat $P/owner'

note 'writing a 0444 file is refused, even for root'
run 'echo 9 > $P/ro_int'
run 'printf 9 > $P/ro_int'
run 'echo x > $P/ro_charp'
run 'echo 1 > $P/shorts'
run 'cat $P/ro_int'
note 'root may write a 0600 file'
run 'echo 602 > $P/owner'
run 'cat $P/owner'

note 'perm 0: no file at all'
run 'ls $P/hidden'
run 'cat $P/hidden'
run 'echo 6 > $P/hidden'
log

note 'kmalloc.ko: all three parameters are 0444'
run 'insmod kmalloc.ko'
run 'stat -c "%a %s" $SYS/sys/module/kmalloc/parameters/rows $SYS/sys/module/kmalloc/parameters/cols $SYS/sys/module/kmalloc/parameters/fail_row'
run 'echo 3 > $SYS/sys/module/kmalloc/parameters/rows'
run 'rmmod kmalloc'
log

note 'unload: exit shows hidden = 5 and owner = 602'
run 'rmmod types'
log
