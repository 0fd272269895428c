#!/bin/sh
# needs: modfs shell (run with the real kmod and util-linux tools; test/shell/ replays it)
# nonroot: what a user without privileges sees and may do (seeds 000, 002, 004), with the real
# tools (modfs: inside a `modfs shell` started by that user; replay: shell). Root loads the
# modules first (the #@root lines), then the script runs as the user.
#@root insmod helloworld.ko num=20
#@root insmod exporter.ko
#@root insmod importer.ko
. "${0%/*}/lib.sh"

note 'reading works: the module list (addresses zeroed), sysfs, modinfo, uname'
run 'uname -r'
run 'cat /proc/modules'
run '/sbin/lsmod'
run 'ls /sys/module/helloworld/parameters'
run 'cat /sys/module/helloworld/parameters/num /sys/module/helloworld/parameters/words'
run 'stat -c "%a %U %G" /sys/module/helloworld/parameters/num'
run 'cat /sys/module/exporter/refcnt'
run 'ls /sys/module/exporter/holders'
run 'cat /sys/module/helloworld/initstate /sys/module/helloworld/coresize'
run '/sbin/modinfo -F description hello.ko'
note 'writing a parameter, loading and unloading are refused'
run 'echo 5 > /sys/module/helloworld/parameters/num'
run '/sbin/insmod hello.ko'
run '/sbin/insmod nosuch.ko'
run '/sbin/rmmod helloworld'
run '/sbin/rmmod nosuchmodule'
run '/sbin/rmmod -f helloworld'
run '/sbin/modprobe -r helloworld'
note 'and so is the kernel log (dmesg_restrict=1)'
run 'dmesg'
run 'dmesg -C'
run 'dmesg -c'
run 'head -n 1 /dev/kmsg'
run 'cat /sys/module/helloworld/parameters/num'
