# experiments/lib.sh: helpers sourced by every experiment script (POSIX sh).
#
# The same scripts run on a real kernel (busybox sh in an initramfs, see
# scripts/oracle/run.sh) and against a modfs mount (dash on the host), so
# everything here sticks to POSIX sh and makes the output of the two
# environments comparable line by line.
#
# Environment:
#   SYS  prefix of the tree: empty on the real kernel, the mount directory
#        under modfs.  Files are "$SYS/proc/modules", "$SYS/sys/module/...".
#   KO   directory holding the .ko files.  lib.sh cd's there, so the
#        experiments say "insmod hello.ko" as the tutorials do, and kmod's
#        messages name the file the same way wherever KO is.  SYS must
#        therefore be an absolute path (or empty).
#   TMPDIR (optional) where run keeps its scratch file; default /tmp.
#
# Output conventions:
#   run 'CMD'   prints "$ CMD" (CMD verbatim, variables unexpanded), then
#               everything CMD wrote to stdout and stderr, in order, then
#               "[exit N]" if CMD's status was not 0.  Output that does not
#               end in a newline is followed by the line "[no newline at end]".
#               Error lines of the shell and of cat/ls/stat/head/wc are
#               rewritten to one form (see _canon below), because busybox,
#               dash and coreutils word them differently.
#   log         prints the kernel messages logged since the last log/clear
#               (dmesg -c), one "kmsg: TEXT" line each, with the
#               "[    1.234567] " timestamp removed.
#   note TEXT   prints "# TEXT" (a comment for the reader).
#   clear_log   dmesg -C, silently.

: "${SYS=}"
: "${KO:?KO must be the directory holding the .ko files}"
_T=${TMPDIR:-/tmp}/modfs-exp.$$

# echo and printf are shell builtins.  dash reports every failed write of
# a builtin as "I/O error", losing the errno that the kernel returned, and
# busybox printf ignores write errors.  So inside experiments their output
# goes through cat, and it is cat's write(2) that reaches the file: its
# error ("cat: write error: Invalid argument") reads the same everywhere.
# Each echo/printf below still makes exactly one write(2) of the whole text.
echo() { command echo "$@" | cat; }
printf() { command printf "$@" | cat; }

note() { command printf '# %s\n' "$*"; }

clear_log() { dmesg -C >/dev/null 2>&1; }

# _canon LINE: print LINE, with error messages brought to one form.
#   shell redirection failures ("sh: can't create P: E",
#   "x.sh: 3: cannot create P: E")  ->  "sh: cannot create $SYS/P: E"
#   "cat: write error: E" and "cat: read error: E" stay as they are
#   other "cat: ...: E", "ls: ...: E", "stat: ...: E", "head: ...: E",
#   "wc: ...: E"  ->  "TOOL: E"
#   (busybox says "cat: read error: E" or "cat: can't open 'P': E", where
#   coreutils says "cat: P: E"; the errno text E is what matters.)
_canon() {
	case $1 in
	*": can't create "*": "* | *": cannot create "*": "*)
		_r=${1#*" create "}
		_e=${_r##*": "}
		_p=${_r%": "*}
		_p=${_p#"$SYS"}
		_shellerr=1
		command printf 'sh: cannot create $SYS%s: %s\n' "$_p" "$_e"
		;;
	"cat: write error: "* | "cat: read error: "*)
		command printf '%s\n' "$1"
		;;
	"cat: "*": "* | "ls: "*": "* | "stat: "*": "* | "head: "*": "* | "wc: "*": "*)
		command printf '%s: %s\n' "${1%%:*}" "${1##*": "}"
		;;
	*)
		command printf '%s\n' "$1"
		;;
	esac
}

# _show FILE: print FILE through _canon, marking a missing final newline.
_show() {
	while IFS= read -r _l; do
		_canon "$_l"
	done < "$1"
	# read fails on a last line without a newline but still fills _l
	if [ -n "$_l" ]; then
		_canon "$_l"
		command printf '[no newline at end]\n'
	fi
}

run() {
	command printf '$ %s\n' "$1"
	_shellerr=
	( eval "$1" ) > "$_T" 2>&1
	_rc=$?
	_show "$_T"
	# dash exits 2 after a failed redirection, busybox sh 1: report 1
	if [ -n "$_shellerr" ] && [ "$_rc" -ne 0 ]; then
		_rc=1
	fi
	if [ "$_rc" -ne 0 ]; then
		command printf '[exit %s]\n' "$_rc"
	fi
	: > "$_T"
	return 0
}

log() {
	dmesg -c > "$_T" 2>&1
	while IFS= read -r _l || [ -n "$_l" ]; do
		case $_l in
		"["*"] "*)
			_s=${_l%%"]"*}
			_s=${_s#"["}
			case $_s in
			"" | *[!0-9.\ ]*) ;;
			*) _l=${_l#*"] "} ;;
			esac
			;;
		esac
		command printf 'kmsg: %s\n' "$_l"
		_l=
	done < "$_T"
	: > "$_T"
	return 0
}

cd "$KO" || exit 1

# Every experiment starts with an empty kernel log.
clear_log
