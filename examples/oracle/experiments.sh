# Experiments run as /init on a real Debian 6.1.0-56 kernel by run-qemu.sh.
# Sourced by busybox sh with /proc, /sys and /dev mounted; lines starting
# with "###" mark each command and its exit status in the transcript.
P=/sys/module
run insmod /ko/hello.ko; run rmmod hello
run insmod /ko/helloworld.ko; ls -l $P/helloworld/parameters; cat $P/helloworld/parameters/*; echo 40 > $P/helloworld/parameters/num; echo the_same_world! > $P/helloworld/parameters/words; run rmmod helloworld
run insmod /ko/helloworld.ko num=20 words="helloworld!"; run rmmod helloworld
run insmod /ko/named.ko number=20 printwords=hi; ls $P/named/parameters; run rmmod named
run insmod /ko/named.ko num=20 words=hi; run rmmod named
run insmod /ko/array.ko; echo "nums=[$(cat $P/array/parameters/nums)]"; run rmmod array
run insmod /ko/array.ko nums=1,2,3; cat $P/array/parameters/nums; run rmmod array
run insmod /ko/array.ko count=2 count=3; run rmmod array
run insmod /ko/array.ko count=2 nums=1,2,3,4; run rmmod array
run insmod /ko/array.ko nums=1,2,3,4 count=2; cat $P/array/parameters/nums; run rmmod array
run insmod /ko/array.ko nums=1,2,3,4,5
run insmod /ko/array.ko nums=1,2,3,4 nums=5,6; cat $P/array/parameters/nums; echo 7,8,9 > $P/array/parameters/nums; echo "rc=$?"; echo 1,2,3,4,5 > $P/array/parameters/nums; echo "rc=$?"; run rmmod array
run insmod /ko/array_nonump.ko nums=1,2 vals=5; cat $P/array_nonump/parameters/nums $P/array_nonump/parameters/vals; run rmmod array_nonump
run insmod /ko/types.ko hidden=5 mybool myinvbool=y names=x; ls -l $P/types/parameters; for f in $P/types/parameters/*; do echo "$(basename $f)=[$(cat $f)]"; done; run rmmod types
run insmod /ko/types.ko mystring=0123456789abcdefXYZ
run insmod /ko/types.ko mybyte=256 myinvbool
run insmod /ko/callback.ko level=3 ping; ls -l $P/callback/parameters; cat $P/callback/parameters/level; cat $P/callback/parameters/changes; cat $P/callback/parameters/ping; echo "rc=$?"; echo 11 > $P/callback/parameters/level; echo "rc=$?"; echo 7 > $P/callback/parameters/level; echo x > $P/callback/parameters/changes; echo "rc=$?"; echo p > $P/callback/parameters/ping; cat $P/callback/parameters/changes; run rmmod callback
run insmod /ko/callback.ko level=11
run insmod /ko/callback.ko level=abc
run insmod /ko/kmalloc.ko; run rmmod kmalloc
run insmod /ko/kmalloc.ko fail_row=2
run insmod /ko/kmalloc.ko rows=0
run insmod /ko/enomem.ko
run insmod /ko/noexit.ko; cat /proc/modules; run rmmod noexit; run rmmod -f noexit
run insmod /ko/positive.ko; run rmmod positive
cat /proc/sys/kernel/tainted
echo "### DONE"
