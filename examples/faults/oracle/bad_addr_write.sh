#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod bad_addr.ko write=1'
log
