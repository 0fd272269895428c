#!/bin/sh
# qemu: console
. "${0%/*}/lib.sh"
run 'insmod panic_init.ko'
log
