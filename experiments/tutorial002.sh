#!/bin/sh
# needs: modfs shell (run with the real kmod and util-linux tools; test/shell/ replays it)
# tutorial002: seed 002 (modules that use modules) with the real kmod tools (modfs: inside
# `modfs shell`; replay: shell): depmod writes modules.dep, modprobe and modprobe -r walk the
# chain chain_a <- chain_b <- chain_c and the diamond, holders and refcnt follow, an alias and a
# version, a reference taken and dropped by module code, a GPL-only export refused to a non-GPL
# module.
. "${0%/*}/lib.sh"
D=/lib/modules/$(uname -r)
note "D=/lib/modules/\$(uname -r)"

note 'install the modules where modprobe looks for them, as make modules_install does'
run 'mkdir -p $D/extra'
run 'cp chain_a.ko chain_b.ko chain_c.ko diamond_base.ko diamond_left.ko diamond_right.ko diamond_top.ko greeting.ko refhold.ko $D/extra/'
run 'depmod'
run 'sort $D/modules.dep'
run 'grep greet $D/modules.alias'
run 'modinfo -F depends chain_c'
run 'modinfo -F depends diamond_top'

note 'the chain: modprobe loads what chain_c needs first'
run 'modprobe -n -v chain_c'
run 'modprobe chain_c'
log
run 'lsmod'
run 'cat /proc/modules | sed "s/0x[0-9a-f]*/ADDR/"'
run 'cat /sys/module/chain_a/refcnt /sys/module/chain_b/refcnt /sys/module/chain_c/refcnt'
run 'ls /sys/module/chain_a/holders /sys/module/chain_b/holders /sys/module/chain_c/holders'
note 'the bottom cannot go while it is used'
run 'rmmod chain_a'
run 'rmmod -f chain_a'
run 'modprobe -r chain_a'
run 'rmmod chain_b'
log
note 'modprobe -r removes chain_c and whatever it alone needed'
run 'modprobe -r -v chain_c'
log
run 'lsmod'

note 'the diamond: the base is loaded once and has two holders'
run 'modprobe -v diamond_top'
log
run 'lsmod'
run 'ls /sys/module/diamond_base/holders'
run 'cat /sys/module/diamond_base/refcnt'
run 'modprobe -r diamond_left'
run 'modprobe -r -v diamond_top'
log
run 'lsmod'

note 'an alias and a version'
run 'modprobe modfs-greeting'
run 'modprobe greeter'
run 'cat /sys/module/greeting/version'
run 'cat /sys/module/greeting/parameters/whom'
run 'modinfo greeting | sed "s#^filename: .*/#filename: .../#"'
run 'modprobe -r greeter'
run 'modprobe greeter whom=modfs'
run 'modprobe -r greeting'
log
note 'not there at all'
run 'modprobe nosuch'
run 'modprobe -r nosuch'
run 'modinfo nosuch'

note 'a module that holds a reference on itself until its parameter is cleared'
run 'modprobe refhold'
log
run 'cat /sys/module/refhold/refcnt'
run 'lsmod | grep refhold'
run 'rmmod refhold'
run 'echo 0 > /sys/module/refhold/parameters/hold'
log
run 'cat /sys/module/refhold/refcnt'
run 'echo 1 > /sys/module/refhold/parameters/hold'
log
run 'cat /sys/module/refhold/parameters/hold /sys/module/refhold/refcnt'
run 'echo 0 > /sys/module/refhold/parameters/hold'
run 'rmmod refhold'
log
run 'modprobe refhold hold=0'
log
run 'cat /sys/module/refhold/refcnt'
run 'modprobe -r refhold'
log

note 'a non-GPL module cannot use a GPL-only export'
run 'insmod exporter.ko'
run 'insmod nongpl_user.ko'
log
run 'cat /proc/sys/kernel/tainted'
run 'rmmod exporter'
log
