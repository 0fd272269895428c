#!/bin/sh
# kmalloc: allocate a matrix in init, free it in exit, unwind with goto on
# failure (seed 004, "资源的创建以及释放").
. "${0%/*}/lib.sh"
P=$SYS/sys/module/kmalloc/parameters
note "P=\$SYS/sys/module/kmalloc/parameters"

run 'insmod kmalloc.ko'
log
run 'cat $P/rows'
run 'cat $P/cols'
run 'cat $P/fail_row'
run 'cat $SYS/proc/modules'
run 'rmmod kmalloc'
log

note 'other sizes'
run 'insmod kmalloc.ko rows=16 cols=16'
log
run 'rmmod kmalloc'
log
run 'insmod kmalloc.ko rows=1 cols=1'
log
run 'rmmod kmalloc'
log

note 'a simulated failure of row 2: init unwinds and returns -ENOMEM'
run 'insmod kmalloc.ko fail_row=2'
log
run 'cat $SYS/proc/modules'
run 'ls $SYS/sys/module/kmalloc'
note 'failure of the first row'
run 'insmod kmalloc.ko fail_row=0'
log
note 'init refuses a bad shape with -EINVAL, which insmod words as a parameter problem'
run 'insmod kmalloc.ko rows=17'
log
run 'cat $SYS/proc/modules'
