#!/bin/sh
# procseq: a seq_file over a kernel list in /proc, read whole and in pieces.
# /proc/procseq_stats counts the iterator's calls (start next stop show), so
# each read shows how seq_read drove the module's methods.
. "${0%/*}/lib.sh"
F=$SYS/proc/procseq
S=$SYS/proc/procseq_stats
note "F=\$SYS/proc/procseq S=\$SYS/proc/procseq_stats"

run 'insmod procseq.ko'
log
run 'stat -c "%a %s %U %F" $F $S'
run 'cat $F'
run 'cat $S'
note 'the first 30 bytes, and byte by byte'
run 'head -c 30 $F'
run 'cat $S'
run 'dd if=$F bs=1 count=40 2>/dev/null'
run 'cat $S'
note 'dd skips 3 blocks of 7 bytes: the read starts at offset 21 (seq_read traverses)'
run 'dd if=$F bs=7 skip=3 count=4 2>/dev/null'
run 'cat $S'
run 'tail -n 2 $F'
run 'tail -c 30 $F'
run 'wc -c < $F'
run 'cat $S'
note 'the stats file is 0400'
run 'ls -l $SYS/proc/procseq_stats | cut -d" " -f1'
note 'a descriptor still open when the entry goes: reads then fail with EIO'
run 'exec 3< $F; head -c 24 <&3; echo; rmmod procseq; cat <&3; exec 3<&-'
log
run 'ls $SYS/proc/procseq'

note 'SEQ_SKIP drops every third item'
run 'insmod procseq.ko count=7 skip=3'
log
run 'cat $F'
run 'cat $S'
run 'rmmod procseq'
log

note 'a header record longer than a page: the buffer doubles and show runs again'
run 'insmod procseq.ko count=2 wide=1'
log
run 'wc -c < $F'
run 'cat $S'
run 'head -c 60 $F'
run 'tail -n 3 $F'
run 'rmmod procseq'
log

note 'many records: 2000 items'
run 'insmod procseq.ko count=2000'
log
run 'wc -l < $F'
run 'tail -n 1 $F'
run 'cat $S'
run 'dd if=$F bs=1000 skip=20 count=1 2>/dev/null | head -n 2'
run 'cat $S'
note 'whole pages, and a read larger than the buffer: each read returns at most one buffer'
run 'dd if=$F bs=4096 skip=3 count=2 2>/dev/null | wc -c'
run 'dd if=$F bs=65536 count=1 2>/dev/null | wc -c'
run 'cat $S'
run 'rmmod procseq'
log
