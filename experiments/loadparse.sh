#!/bin/sh
# loadparse: how the kernel splits and applies the argument string that
# insmod passes (insmod joins its arguments with single spaces).
# helloworld.ko has num (int) and words (charp); types.ko has bools,
# underscored names and more.
. "${0%/*}/lib.sh"
P=$SYS/sys/module/helloworld/parameters
note "P=\$SYS/sys/module/helloworld/parameters"

# hw ARGS...: load helloworld with ARGS; if it loaded, show num and words
# (od-free: wc -c shows the exact length of words) and unload
hw() {
	run "insmod helloworld.ko $*"
	log
	if [ -d "$P" ]; then
		run 'cat $P/num'
		run 'cat $P/words'
		run 'cat $P/words | wc -c'
		run 'rmmod helloworld'
		log
	fi
}

note 'quotes: the shell removes the first pair, the kernel the second'
hw words="hello world"
hw "'words=\"hello world\"'"
hw "'\"words=hello world\"'"
hw "'words=ab\"c d\"'"
hw "'words=\"a b\"c'"
hw "'words=\"\"'"
hw "'words=\"unterminated'"
note 'whitespace inside one argument separates parameters too'
hw "'num=1 words=two'"
hw '"$(printf "num=2\twords=tab")"'
hw "'  num=3  '"
note 'empty values'
hw words=
hw num=
note 'a bare name: allowed for bool-like types only'
hw num
hw words
note 'unknown names are ignored'
hw foo=1 bar
hw num=5 NUM=6
hw =5
note 'the last value wins'
hw num=1 num=2 words=a words=b
note 'errors: every token is tried, the last error is returned'
hw num=abc
hw num=99999999999
hw num=abc words=ok
hw num=99999999999 num=abc
hw num=abc num=99999999999
hw num=0x20 words=ok
note '--: the kernel stops at a bare --, but insmod (getopt) swallows the first one'
hw num=1 -- words=x
hw num=1 -- -- words=x
hw num=1 words=x -- --
hw '"num=7 -- words=y"'
hw '"num=7 --"'
hw '"num=7 -- "'
hw '"num=abc -- words=y"'
hw "'num=1 \"--\" words=z'"
note 'async_probe is consumed silently; dyndbg is a dynamic debug query'
hw async_probe
hw async_probe=1
hw dyndbg=+p
hw dyndbg

note 'types.ko: bare names, dashes for underscores, too long strings'
T=$SYS/sys/module/types/parameters
run 'insmod types.ko mybool myinvbool=0 mybint ro-int=11 ro_bool'
run 'cat $T/mybool $T/myinvbool $T/mybint $T/ro_int $T/ro_bool'
run 'rmmod types'
log
run 'insmod types.ko myinvbool'
log
run 'insmod types.ko mybyte'
log
run 'insmod types.ko mystring=1234567890123456'
log
run 'insmod types.ko mystring=123456789012345 ro_string=1234567'
run 'cat $T/mystring $T/ro_string'
run 'rmmod types'
log
S=x
for i in 1 2 3 4 5 6 7 8 9 10; do S=$S$S; done
note 'S is 1024 characters'
run 'insmod types.ko mycharp=$S'
run 'cat $T/mycharp | wc -c'
run 'rmmod types'
log
run 'insmod types.ko mycharp=${S}y'
log
run 'insmod types.ko mybyte=256 myshort=x mycharp=${S}y mystring=1234567890123456 myint=1'
log
run 'insmod types.ko bools=y,n,x masks=1,2,3,4'
log
run 'insmod types.ko mybool=maybe'
log
run 'insmod types.ko myinvbool=yes mybint=no mybool=0 hidden=-0x10 myhexint=010 myulong=-1'
log
run 'insmod types.ko myinvbool=yes mybint=no mybool=0 hidden=-0x10 myhexint=010'
run 'cat $T/myinvbool $T/mybint $T/mybool $T/myhexint'
run 'rmmod types'
log
