#!/bin/sh
# named: module_param_named (seed 004).  The variables are num and words,
# the parameter names number and printwords.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/named/parameters
note "P=\$SYS/sys/module/named/parameters"

note 'the public names set the variables'
run 'insmod named.ko number=20 printwords="helloworld!"'
log
run 'ls $P'
run 'cat $P/number'
run 'cat $P/printwords'
run 'rmmod named'
log

note 'the variable names are unknown parameters: ignored, and the load succeeds'
run 'insmod named.ko num=20 words="helloworld!"'
log
run 'ls $P'
run 'cat $P/number'
run 'cat $P/printwords'
run 'ls $P/num'
run 'echo 30 > $P/number'
run 'cat $P/number'
run 'rmmod named'
log
