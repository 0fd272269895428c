#!/bin/sh
# needs: modfs shell (run with the real kmod and util-linux tools; test/shell/ replays it)
# tutorial000: seed 000 as its reader types it, with the real tools (modfs: inside `modfs shell`;
# replay: shell). Build the module, load it with sudo, find it with lsmod | grep, read the log
# with dmesg | tail, look at the .ko with readelf and modinfo, unload it.
. "${0%/*}/lib.sh"

note 'the kernel the module is built for and loaded into'
run 'uname -r'
note 'what make built: an ELF relocatable object'
run 'readelf -h hello.ko'
run 'modinfo hello.ko'
note 'load it (insmod does not resolve dependencies; modprobe does)'
run 'sudo insmod hello.ko'
run 'lsmod | grep hello'
run 'dmesg | tail -n 1'
run 'cat /proc/modules'
run 'ls /sys/module/hello'
note 'unload it and read the log'
run 'sudo rmmod hello'
run 'dmesg | tail -n 2'
run 'dmesg'
run 'lsmod | grep hello'
log
