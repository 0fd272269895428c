#!/bin/sh
# selftest: load one of the kernel's own lib/ self-test modules ($TEST, e.g. test_bitmap, built
# by scripts/build-selftests.sh), show every line it logged, and unload it if it stayed.
# Run by scripts/selftests-oracle.sh on the real kernel and by test/selftests/ against modfs.
. "${0%/*}/../lib.sh"
: "${TEST:?TEST must name the self-test module}"

run "insmod $TEST.ko"
log
run "rmmod $TEST"
log
