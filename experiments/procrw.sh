#!/bin/sh
# procrw: a read/write /proc file under a directory of its own; what was
# written is read back.  Errors: -EINVAL for a write past 0, -ENOSPC when it
# does not fit.  info is found through pde_data() and has a size and owner
# of its own (proc_set_size, proc_set_user).
. "${0%/*}/lib.sh"
D=$SYS/proc/procrw
note "D=\$SYS/proc/procrw"

run 'insmod procrw.ko'
log
run 'stat -c "%a %s %U %G %F" $D $D/buffer $D/info'
run 'ls $D'
run 'ls -ln $D | awk "{print \$1, \$2, \$3, \$4, \$5, \$NF}"'
run 'stat -c "%h %a" $SYS/proc/procrw'
run 'cat $D/buffer'
run 'echo hello > $D/buffer'
log
run 'cat $D/buffer'
run 'head -c 3 $D/buffer; echo'
run 'dd if=$D/buffer bs=1 count=3 skip=1 2>/dev/null; echo'
run 'printf "no newline" > $D/buffer'
log
run 'cat $D/buffer'
note 'too long for the 64-byte buffer'
run 'echo 0123456789012345678901234567890123456789012345678901234567890123456789 > $D/buffer'
run 'cat $D/buffer'
note 'O_APPEND: a /proc file has no size, so the write is still at position 0'
run 'echo more >> $D/buffer'
run 'cat $D/buffer'
note 'two writes on one descriptor: the second is at position 3 and refused'
run '(printf abc; printf def) > $D/buffer'
log
run 'cat $D/buffer; echo'
note 'no proc_lseek: the file cannot seek'
run 'cd $D && dd if=/dev/zero of=buffer bs=1 count=1 seek=2 conv=notrunc 2>&1 | head -n 1'
run 'cat $D/info'
run 'dd if=$D/info bs=5 count=2 2>/dev/null; echo'
note 'info: proc_ops without write'
run 'echo x > $D/info'
run 'rmmod procrw'
log
run 'ls $SYS/proc/procrw'
