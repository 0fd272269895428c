#!/bin/sh
# helloworld: module parameters at load time and through sysfs (seed 004,
# "module parameters" and "sysfs 修改参数值").  num is an int, words a
# charp, both 0644.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/helloworld/parameters
note "P=\$SYS/sys/module/helloworld/parameters"

note 'load without parameters: init prints the initial values'
run 'insmod helloworld.ko'
log
run 'ls $P'
run 'stat -c "%a %s" $P/num $P/words'
run 'cat $P/num'
run 'cat $P/words'
run 'rmmod helloworld'
log

note 'dmesg -C empties the log; dmesg -c then prints nothing'
run 'dmesg -C'
run 'dmesg -c'

note 'load with num=20 words="helloworld!" (the shell removes the quotes)'
run 'insmod helloworld.ko num=20 words="helloworld!"'
log
run 'cat $P/num'
run 'cat $P/words'

note 'write both files with echo: the kernel logs nothing'
run 'echo 40 > $P/num'
run 'echo the_same_world! > $P/words'
log
run 'cat $P/num'
note 'echo wrote a newline and the charp keeps it: cat shows an empty line'
run 'cat $P/words'
run 'cat $P/words | wc -c'
note 'rmmod: exit prints the values written through sysfs'
run 'rmmod helloworld'
log

note 'the same with printf, which writes no newline'
run 'insmod helloworld.ko num=20 words="helloworld!"'
log
run 'printf 41 > $P/num'
run 'printf the_same_world! > $P/words'
log
run 'cat $P/num'
run 'cat $P/words'
run 'cat $P/words | wc -c'
run 'rmmod helloworld'
log

note 'a failed write leaves the value alone and logs nothing'
run 'insmod helloworld.ko'
log
run 'echo forty > $P/num'
run 'echo 4000000000 > $P/num'
log
run 'cat $P/num'
run 'rmmod helloworld'
log
