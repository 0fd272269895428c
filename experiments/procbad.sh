#!/bin/sh
# procbad: /proc read handlers that misbehave.  A second proc_mkdir of the
# same name is refused with a warning; a handler that claims more bytes than
# it copied; a seq_file whose show fails; a bounded busy loop; an entry the
# module forgets to remove (reading it after rmmod runs freed module
# memory); a NULL dereference, which kills the reader inside the handler, so
# the entry stays in use and rmmod, which waits for its callers, hangs.
#
# Not here: spins=0, a read handler that never returns.  A real kernel
# prints "watchdog: BUG: soft lockup - CPU#0 stuck for 22s!" and keeps
# spinning, so the boot never finishes; modfs stops it at its instruction
# budget (test/kernel/seq-file.test.ts checks that case against modfs).
# The hung rmmod is reported by the kernel's hung-task detector only after
# 120 s; modfs reports it at once (see test/kernel/seq-file.test.ts).
# not in modfs shell: an oops kills the reader, and inside the shell that reader is a shell pipeline whose exit statuses and messages differ from the guest's busybox (test/oracle/replay.test.ts replays it at $SYS)
. "${0%/*}/lib.sh"
D=$SYS/proc/procbad
note "D=\$SYS/proc/procbad"

run 'insmod procbad.ko leak=1'
log
run 'ls $D'
run 'cat $D/over | od -c'
run 'cat $D/seqerr'
run 'cat $D/spin'
run 'echo 100000 > $SYS/sys/module/procbad/parameters/spins'
run 'cat $D/spin'
run 'rmmod procbad'
log
note 'procbad_leak was not removed: it is still listed, but its proc_ops were freed with the module'
run 'cd $SYS/proc && ls procbad_leak procbad'
run 'stat -c "%a %s" $SYS/proc/procbad_leak'
run 'cat $SYS/proc/procbad_leak'
log
note 'loading again: the leaked name is taken'
run 'insmod procbad.ko leak=1'
log
run 'cat $D/over | wc -c'
note 'the NULL dereference'
run 'cat $D/null'
log
run 'cat $SYS/proc/modules'
note 'the reader killed inside null_read never left the entry: rmmod waits for it forever'
note '(what ls shows of /proc/procbad then depends on the dentries cached before; not shown)'
run 'rmmod procbad & sleep 3; cat $SYS/proc/modules'
