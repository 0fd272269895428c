#!/bin/sh
# procfmt: seq_file's output helpers (seq_printf, seq_puts, seq_putc,
# seq_write, seq_put_decimal_*, seq_escape, seq_pad, seq_hex_dump), a
# seq_open_private state, single_open_size's big buffer read with seq_read,
# and a ->next that forgets to move the position.
. "${0%/*}/lib.sh"
D=$SYS/proc/procfmt
note "D=\$SYS/proc/procfmt"

run 'insmod procfmt.ko'
log
run 'cd $D && stat -c "%a %n" . out private sized stuck'
run 'cat $D/out | od -c | head -n 4'
run 'cat $D/out'
run 'cat $D/private'
run 'dd if=$D/private bs=20 skip=2 count=2 2>/dev/null; echo'
run 'head -n 2 $D/sized'
run 'wc -c < $D/sized'
run 'tail -n 1 $D/sized'
run 'dd if=$D/sized bs=1000 skip=4 count=1 2>/dev/null | head -n 2'
run 'cat $D/stuck'
log
run 'rmmod procfmt'
log
