#!/bin/sh
# array_nonump: module_param_array(nums, int, NULL, 0644), whose count the
# module never sees, and module_param_array_named(vals, values, int,
# &nvals, 0644) (seed 004).
. "${0%/*}/lib.sh"
P=$SYS/sys/module/array_nonump/parameters
note "P=\$SYS/sys/module/array_nonump/parameters"

note 'no parameters: nums without a count always shows all four'
run 'insmod array_nonump.ko'
log
run 'ls $P'
run 'cat $P/nums'
run 'cat $P/vals'
run 'cat $P/vals | wc -c'
run 'rmmod array_nonump'
log

note 'fewer elements: nums still shows four, count stays 0'
run 'insmod array_nonump.ko nums=1,2 vals=5'
log
run 'cat $P/nums'
run 'cat $P/vals'
run 'rmmod array_nonump'
log

note 'too many, and the real name of the named array'
run 'insmod array_nonump.ko nums=1,2,3,4,5'
log
run 'insmod array_nonump.ko vals=1,2,3,4'
log
run 'insmod array_nonump.ko values=1,2,3'
log
run 'cat $P/vals'
run 'cat $P/nums'

note 'sysfs writes'
run 'echo 7 > $P/nums'
run 'cat $P/nums'
run 'echo 1,2,3,4,5 > $P/nums'
log
run 'cat $P/nums'
run 'echo 4,5,6 > $P/vals'
run 'cat $P/vals'
run 'echo 1,2,3,4 > $P/vals'
log
run 'cat $P/vals'

note 'rmmod with a dash for the underscore'
run 'rmmod array-nonump'
log
run 'cat $SYS/proc/modules'
