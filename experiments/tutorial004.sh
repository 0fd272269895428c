#!/bin/sh
# needs: modfs shell (run with the real kmod and util-linux tools; test/shell/ replays it)
# tutorial004: seed 004 (module parameters) as its reader types it, with the real tools and
# sudo (modfs: inside `modfs shell`; replay: shell). ll is ls -l; vi edits are scripted with
# ex commands (vi -e -s, stdin /dev/null so a failed write cannot wait for a key) but are the
# same program writing the same file.
. "${0%/*}/lib.sh"

note 'load without parameters, read the log, unload, clear the log'
run 'sudo insmod helloworld.ko'
run 'sudo dmesg'
run 'sudo rmmod helloworld'
run 'sudo dmesg'
run 'sudo dmesg -C'
run 'sudo dmesg'
note 'load with parameters; the files under parameters/'
run 'sudo insmod helloworld.ko num=20 words="helloworld!"'
run 'sudo dmesg'
run 'ls -l /sys/module/helloworld/parameters/ | sed "s/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9] / DATE /"'
run 'cat /sys/module/helloworld/parameters/num'
run 'cat /sys/module/helloworld/parameters/words'
note 'edit both with vi: the module is not told, dmesg shows nothing new'
run "sudo vi -u NONE -e -s -c '%s/.*/40/' -c wq /sys/module/helloworld/parameters/num </dev/null"
run "sudo vi -u NONE -e -s -c '%s/.*/the_same_world!/' -c wq /sys/module/helloworld/parameters/words </dev/null"
run 'sudo dmesg -c'
run 'sudo dmesg'
run 'cat /sys/module/helloworld/parameters/num'
run 'cat /sys/module/helloworld/parameters/words'
note 'exit prints the values vi wrote'
run 'sudo rmmod helloworld'
run 'sudo dmesg -c'

note 'module_param_named: the new names work, the variable names do not'
run 'sudo insmod named.ko number=20 printwords="helloworld!"'
run 'ls /sys/module/named/parameters/'
run 'sudo rmmod named'
run 'sudo insmod named.ko num=20 words="helloworld!"'
run 'sudo rmmod named'
run 'sudo dmesg -c'

note 'module_param_array: as many elements as fit, then one too many'
run 'sudo insmod array.ko nums=1,2,3,4'
run 'cat /sys/module/array/parameters/nums'
run 'sudo rmmod array'
run 'sudo insmod array.ko nums=1,2,3'
run 'cat /sys/module/array/parameters/count'
run 'sudo rmmod array'
run 'sudo insmod array.ko nums=1,2,3,4,5'
run 'sudo dmesg -c'
note 'without a count: vi writes two elements, then five (refused: vi reports the write error)'
run 'sudo insmod array_nonump.ko nums=1,2'
run 'cat /sys/module/array_nonump/parameters/nums'
run "sudo vi -u NONE -e -s -c '%s/.*/5,6/' -c wq /sys/module/array_nonump/parameters/nums </dev/null"
run 'cat /sys/module/array_nonump/parameters/nums'
run "sudo vi -u NONE -e -s -c '%s/.*/1,2,3,4,5/' -c wq /sys/module/array_nonump/parameters/nums </dev/null"
run 'cat /sys/module/array_nonump/parameters/nums'
run 'sudo rmmod array_nonump'
run 'sudo dmesg -c'

note 'kmalloc with goto unwinding: load, unload'
run 'sudo insmod kmalloc.ko'
run 'sudo rmmod kmalloc'
run 'sudo dmesg -c'

note 'a module in use cannot be unloaded'
run 'sudo insmod exporter.ko'
run 'sudo insmod importer.ko'
run 'sudo rmmod exporter'
run 'sudo rmmod importer'
run 'sudo rmmod exporter'
log
