#!/bin/sh
# seqfile_bench: times `cat` of a 10,000-line seq_file (procseq count=10000).
# bench: timings, not a transcript (bench/seqfile.mjs runs it on the real kernel
# under QEMU and the same cat through a modfs mount; the replay test skips it).
. "${0%/*}/lib.sh"
insmod procseq.ko count=10000
cat $SYS/proc/procseq > /dev/null
for i in 1 2 3 4 5 6 7 8 9; do
	s=$(date +%s%N)
	cat $SYS/proc/procseq > /dev/null
	e=$(date +%s%N)
	command echo "cat_ns $((e - s))"
done
command echo "bytes $(cat $SYS/proc/procseq | wc -c)"
rmmod procseq
