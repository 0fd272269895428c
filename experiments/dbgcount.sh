#!/bin/sh
# dbgcount: debugfs files a module makes: the kernel's typed files (u32, x32,
# u8, x64, size_t, atomic_t, bool, blob) and one file_operations of its own.
# We are root.
. "${0%/*}/lib.sh"
D=$SYS/sys/kernel/debug/dbgcount
note "D=\$SYS/sys/kernel/debug/dbgcount"

run 'stat -c "%a %U:%G" $SYS/sys/kernel/debug'
run 'insmod dbgcount.ko'
log
run 'ls $D'
run 'cd $D && ls -l --time-style=+'
run 'cd $D && stat -c "%n %a %s %F" . counter blob reads secret'

note 'the kernel formats the typed files'
run 'cat $D/counter $D/limit $D/flags $D/small $D/big $D/size $D/hits $D/enabled'
run 'cat $D/blob'
run 'wc -c < $D/blob'

note 'writes are parsed with kstrtoull (base 0), then stored at the width of the file'
run 'echo 41 > $D/counter'
run 'echo 0x2a > $D/flags'
run 'echo 300 > $D/small'
run 'echo -5 > $D/hits'
run 'echo 0xffffffffffffffff > $D/big'
run 'cat $D/counter $D/flags $D/small $D/hits $D/big'
run 'echo 4294967296 > $D/counter'
run 'cat $D/counter'
note 'bad numbers'
run 'echo x > $D/counter'
run 'echo -1 > $D/counter'
run 'echo " 5" > $D/counter'
run 'echo 18446744073709551616 > $D/counter'
run 'printf "" > $D/counter'
run 'cat $D/counter'
note 'only the first 23 bytes are looked at'
run 'printf "00000000000000000000042" > $D/counter'
run 'cat $D/counter'
run 'printf "000000000000000000000042" > $D/counter'
run 'cat $D/counter'

note 'read-only and write-only typed files, as root'
run 'echo 5 > $D/limit'
run 'echo 5 > $D/size'
run 'cat $D/limit'
run 'cat $D/secret'
run 'echo y > $D/secret'
run 'echo 1 > $D/blob'

note 'bool: kstrtobool, and a word it does not know is ignored without an error'
run 'echo n > $D/enabled'
run 'cat $D/enabled'
run 'echo on > $D/enabled'
run 'cat $D/enabled'
run 'echo maybe > $D/enabled'
run 'cat $D/enabled'

note 'the typed files are streams: skipping reads through the bytes'
run 'dd if=$D/counter bs=1 skip=1 2>/dev/null'
run 'dd if=$D/enabled bs=1 skip=1 2>/dev/null | wc -c'

note 'the module read handler counts the reads that start at offset 0'
run 'cat $D/reads'
run 'cat $D/reads'
run 'head -c 3 $D/reads'
run 'cat $D/reads'
run 'dd if=$D/reads bs=1 skip=6 2>/dev/null'
run 'echo 100 > $D/reads'
run 'cat $D/reads'
run 'echo lots > $D/reads'
run 'cat $D/reads'

note 'an open file of the module pins it (fops owner)'
run '{ grep "^dbgcount " $SYS/proc/modules | cut -d" " -f1-3; rmmod dbgcount; } < $D/reads'
run 'grep "^dbgcount " $SYS/proc/modules | cut -d" " -f1-3'
note 'no new names'
run 'echo 1 > $D/newfile'
run 'mkdir $D/sub 2>/dev/null'
log

run 'rmmod dbgcount'
log
run 'ls $D'
run 'ls $SYS/sys/kernel/debug | grep dbgcount'
