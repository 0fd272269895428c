#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod api.ko'
log
run 'rmmod api'
log
