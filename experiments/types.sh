#!/bin/sh
# types: every standard parameter type read and written through sysfs with
# valid, boundary and invalid values (types.ko, all my* are 0644).
# Each write is followed by a read of the same file.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/types/parameters
note "P=\$SYS/sys/module/types/parameters"

# w PARAM VALUE...: "echo VALUE > $P/PARAM" then "cat $P/PARAM", per VALUE.
# A VALUE is put into the command as it is, so it may carry shell quotes.
w() {
	_p=$1
	shift
	for _v in "$@"; do
		run "echo $_v > \$P/$_p"
		run "cat \$P/$_p"
	done
}
# pw PARAM VALUE...: the same with printf (no newline)
pw() {
	_p=$1
	shift
	for _v in "$@"; do
		run "printf $_v > \$P/$_p"
		run "cat \$P/$_p"
	done
}

run 'insmod types.ko'
log
run 'ls $P'
note 'every file as loaded'
for f in mybyte myshort myushort myint myuint mylong myulong myullong myhexint \
	mybool myinvbool mybint mycharp mystring ro_int ro_ulong ro_bool ro_charp \
	ro_string owner bools names masks shorts; do
	run "cat \$P/$f"
done

note 'byte: unsigned 8 bits, printed as a number'
w mybyte 0 255 256 -1 0x7f 010 08 0x +3 abc "' 5'" "'5 '" "''" 1000000000000000000000
pw mybyte 42 "'42\n\n'"
note 'short'
w myshort 32767 -32768 32768 -32769 -0x8000 -0 +-5
note 'ushort'
w myushort 65535 65536 -1 0xffff
note 'int'
w myint 2147483647 -2147483648 2147483648 -2147483649 1.5 0X1f 0x1F -012
note 'uint'
w myuint 4294967295 4294967296 -1 037777777777
note 'long'
w mylong 9223372036854775807 -9223372036854775808 9223372036854775808 -9223372036854775809
note 'ulong'
w myulong 18446744073709551615 18446744073709551616 0xffffffffffffffff -1
note 'ullong'
w myullong 18446744073709551615 18446744073709551616 0
note 'hexint: written in any base, printed as %#08x'
w myhexint 0 16 0xdeadbeef 4294967295 4294967296 0xABC 255 -1
note 'bool: only the first one or two characters count'
w mybool n Y 0 1 f t N y off on OFF oN yes no true false Yellow nope 0x5 1abc 2 x o "''"
pw mybool y n
note 'invbool: stored negated'
w myinvbool y n 1 0 x
note 'bint: an int that takes bool spellings'
w mybint n y off on 2 -1 1abc x
note 'charp: the value is kept byte for byte, newline included'
run 'echo foo > $P/mycharp'
run 'cat $P/mycharp'
run 'cat $P/mycharp | wc -c'
run 'printf foo > $P/mycharp'
run 'cat $P/mycharp'
run 'cat $P/mycharp | wc -c'
run 'printf "two words" > $P/mycharp'
run 'cat $P/mycharp'
run 'echo > $P/mycharp'
run 'cat $P/mycharp'
run 'cat $P/mycharp | wc -c'
note 'a zero-length write changes nothing'
run 'printf "" > $P/mycharp'
run 'cat $P/mycharp | wc -c'
note 'charp holds at most 1024 characters'
S=x
for i in 1 2 3 4 5 6 7 8 9 10; do S=$S$S; done
S1023=${S#x}
note "S is 1024 x's, S1023 1023 of them"
run 'printf %s $S > $P/mycharp'
run 'cat $P/mycharp | wc -c'
run 'echo $S1023 > $P/mycharp'
run 'cat $P/mycharp | wc -c'
run 'printf %sy $S > $P/mycharp'
run 'echo $S > $P/mycharp'
log
run 'cat $P/mycharp | wc -c'
note 'string: a 16-byte buffer, so 15 characters including any newline'
run 'printf 123456789012345 > $P/mystring'
run 'cat $P/mystring'
run 'printf 1234567890123456 > $P/mystring'
run 'echo 123456789012345 > $P/mystring'
log
run 'cat $P/mystring'
run 'echo 12345678901234 > $P/mystring'
run 'cat $P/mystring'
run 'echo > $P/mystring'
run 'cat $P/mystring'
run 'cat $P/mystring | wc -c'

note 'arrays of other types'
w bools y,n,y,n,y 1,0 Y,x
run 'cat $P/bools | wc -c'
w masks 1,2,3 0xff,0xdeadbeef 1,2,3,4 5,-1
pw names a,b,c a "'x,'"
w names one,two,three four
run 'cat $P/shorts'

note 'unload: exit prints every value'
run 'rmmod types'
log
