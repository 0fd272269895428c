#!/bin/sh
# array: module_param_array(nums, int, &count, 0644) where count is itself
# module_param(count, int, 0644) (seed 004, "module_param_array" and
# "传参顺序影响").  init and exit print count and all four elements.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/array/parameters
note "P=\$SYS/sys/module/array/parameters"

# case ARGS...: load with ARGS, show the log and both files, unload
case_() {
	run "insmod array.ko $*"
	log
	if [ -d "$P" ]; then
		run 'cat $P/count'
		run 'cat $P/nums'
		run 'rmmod array'
		log
	fi
}

note 'no parameters: count stays 0, so nums reads as nothing at all'
run 'insmod array.ko'
log
run 'ls $P'
run 'stat -c "%a %s" $P/count $P/nums'
run 'cat $P/count'
run 'cat $P/nums'
run 'cat $P/nums | wc -c'
run 'rmmod array'
log

note 'four, three, five elements (the array holds four)'
case_ nums=1,2,3,4
case_ nums=1,2,3
case_ nums=1,2,3,4,5
run 'cat $SYS/proc/modules'

note 'count given, order and repetition'
case_ count=2
case_ count=2 nums=1,2,3,4
case_ nums=1,2,3,4 count=2
case_ count=2 count=3
case_ nums=1,2 nums=3,4,5,6
case_ nums=1,2,3,4 nums=5,6

note 'bad elements at load time'
case_ nums=1,x,3
case_ nums=1,,3
case_ nums=1,2,
case_ nums=
case_ nums
case_ nums=1,99999999999
case_ "'nums=\" 1,2\"'"
case_ nums=0x10,010,-5,+7

note 'writes through sysfs'
run 'insmod array.ko nums=1,2'
log
run 'cat $P/nums'
run 'echo 1,2,3,4 > $P/nums'
run 'cat $P/nums'
run 'cat $P/count'
run 'echo 5,6 > $P/nums'
note 'count is 2 now: only two elements are shown, the other two keep 3 and 4'
run 'cat $P/nums'
run 'cat $P/count'
note 'five elements: refused, but the first four were stored'
run 'echo 9,8,7,6,5 > $P/nums'
log
run 'cat $P/nums'
run 'cat $P/count'
note 'an invalid element: the ones before it are stored, count says how many'
run 'echo 11,12,x,14 > $P/nums'
log
run 'cat $P/nums'
run 'cat $P/count'
note 'no newline, spaces, empty'
run 'printf 21,22,23 > $P/nums'
run 'cat $P/nums'
run 'echo "31, 32" > $P/nums'
run 'cat $P/nums'
run 'cat $P/count'
run 'echo > $P/nums'
run 'cat $P/count'
run 'cat $P/nums | wc -c'
note 'count written directly changes how many elements are shown'
run 'echo 3 > $P/count'
run 'cat $P/nums'
run 'echo 0 > $P/count'
run 'cat $P/nums | wc -c'
run 'echo 4 > $P/count'
run 'cat $P/nums'
run 'rmmod array'
log
