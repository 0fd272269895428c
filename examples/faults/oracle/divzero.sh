#!/bin/sh
. "${0%/*}/lib.sh"
run 'insmod divzero.ko'
log
