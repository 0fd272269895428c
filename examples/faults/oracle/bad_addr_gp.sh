#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod bad_addr.ko noncanonical=1'
log
