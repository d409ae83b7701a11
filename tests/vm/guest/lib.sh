# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the guest steps (busybox ash).  Sourced by run-steps.sh in
# the subshell that runs one step; MNG_STEP names that step and
# MNG_CHECKS is the file where every check result is recorded, so the
# runner can give the step its verdict after the subshell has gone.
#
# Console lines (parsed by tests/vm/verdict.sh on the host):
#   MNGCHECK <step> <check> PASS
#   MNGCHECK <step> <check> FAIL <detail>
#   MNGRUN   <step> rc=<n> $ <command>      then MNGOUT/MNGERR lines
#   MNGPROC  <step> <label>: <a /proc/modules line>

# Debian's busybox ash runs its own applets before searching PATH, so a
# plain `modprobe` would be busybox's: these send the names to ours.
# (Commands in the guest config that call modprobe must say /sbin/modprobe.)
depmod() { /sbin/depmod "$@"; }
modprobe() { /sbin/modprobe "$@"; }
insmod() { /sbin/insmod "$@"; }
rmmod() { /sbin/rmmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }

KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
# Every module the harness knows; kernel names, so mod-d is mod_d.
MNG_ALL_MODS="mod_a mod_b mod_c mod_d mod_e fail_init boot_one boot_two loop_x loop_y"

pass() {
	echo "MNGCHECK $MNG_STEP $1 PASS"
	echo "PASS $1" >>"$MNG_CHECKS"
}

# fail CHECK DETAIL...
fail() {
	c=$1
	shift
	echo "MNGCHECK $MNG_STEP $c FAIL $*"
	echo "FAIL $c $*" >>"$MNG_CHECKS"
}

# check CHECK DETAIL CMD...: passes when CMD exits 0.
check() {
	c=$1
	d=$2
	shift 2
	if "$@"; then pass "$c"; else fail "$c" "$d"; fi
}

# Kernel module name of a file or module name: dashes become underscores.
kname() {
	k=${1%.ko}
	echo "${k//-/_}"
}

# Path of a module file under MODDIR (or /mng/ko-extra), by file name.
ko() {
	f=$(find "$MODDIR" /mng/ko-extra -name "$1.ko" 2>/dev/null | head -n 1)
	[ -n "$f" ] || echo "MNGINFO $MNG_STEP no module file $1.ko" >&2
	echo "$f"
}

is_loaded() {
	k=${1%.ko}
	grep -q "^${k//-/_} " /proc/modules
}

# Test modules loaded right now, kernel names, sorted, space separated.
# (One awk: forks are slow under TCG.)
loaded_mods() {
	awk -v all="$MNG_ALL_MODS" 'BEGIN { n = split(all, a, " "); for (i = 1; i <= n; i++) t[a[i]] = 1 }
		$1 in t { print $1 }' /proc/modules | sort | tr '\n' ' ' | sed 's/ $//'
}

# The "used by" column of /proc/modules for MOD ("-" when unused).
users_of() { awk -v m="$(kname "$1")" '$1 == m { print $4 }' /proc/modules; }

# Reference count of MOD, from /proc/modules.
refcnt_of() { awk -v m="$(kname "$1")" '$1 == m { print $3 }' /proc/modules; }

# run CMD...: runs CMD, keeping its status in RC, its stdout in OUT and its
# stderr in ERR, and echoes all three to the console for the log.
run() {
	"$@" >/tmp/mng-run.out 2>/tmp/mng-run.err
	RC=$?
	OUT=$(cat /tmp/mng-run.out)
	ERR=$(cat /tmp/mng-run.err)
	echo "MNGRUN $MNG_STEP rc=$RC \$ $*"
	sed "s/^/MNGOUT $MNG_STEP /" /tmp/mng-run.out
	sed "s/^/MNGERR $MNG_STEP /" /tmp/mng-run.err
	return 0
}

# expect_rc CHECK WANT: WANT is a number or "nonzero".
expect_rc() {
	if [ "$2" = nonzero ]; then
		check "$1" "exit status 0, wanted non-zero" [ "$RC" -ne 0 ]
	else
		check "$1" "exit status $RC, wanted $2" [ "$RC" -eq "$2" ]
	fi
}

# expect_mods CHECK "MOD...": exactly these test modules are loaded.
expect_mods() {
	want=$(echo "$2" | tr ' -' '\n_' | grep . | sort | tr '\n' ' ' | sed 's/ $//')
	got=$(loaded_mods)
	check "$1" "loaded [$got], wanted [$want]" [ "$got" = "$want" ]
}

expect_loaded() {
	c=$1
	shift
	for m in "$@"; do
		is_loaded "$m" || { fail "$c" "$m is not loaded (loaded: $(loaded_mods))"; return; }
	done
	pass "$c"
}

expect_unloaded() {
	c=$1
	shift
	for m in "$@"; do
		is_loaded "$m" && { fail "$c" "$m is loaded"; return; }
	done
	pass "$c"
}

# expect_param CHECK MOD PARAM VALUE: /sys/module/MOD/parameters/PARAM.
expect_param() {
	p=/sys/module/$(kname "$2")/parameters/$3
	if [ ! -r "$p" ]; then
		fail "$1" "$p does not exist"
	else
		v=$(cat "$p")
		check "$1" "$p is '$v', wanted '$4'" [ "$v" = "$4" ]
	fi
}

# expect_eq CHECK GOT WANT
expect_eq() {
	check "$1" "got '$2', wanted '$3'" [ "$2" = "$3" ]
}

# expect_contains CHECK TEXT NEEDLE (fixed string)
expect_contains() {
	case $2 in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "'$2' does not contain '$3'" ;;
	esac
}

# snapshot LABEL: prints /proc/modules.
snapshot() {
	echo "MNGPROC $MNG_STEP $1: begin"
	sed "s/^/MNGPROC $MNG_STEP $1: /" /proc/modules
}

# Needs our own tool NAME (depmod, modprobe, insmod, ...) in /sbin: fails the check
# and returns 1 when the image was built without it.
need_tool() {
	if [ -x "/sbin/$1" ]; then return 0; fi
	fail "need-$1" "/sbin/$1 is not in the image (no modutils-ng was built)"
	return 1
}

# modules.dep, as depmod wrote it: "path: dep dep..." in kmod's form
# (paths relative to MODDIR) or the legacy one (absolute paths, entries
# continued with "\" and separated by blank lines).  dep_table prints one
# line per entry: "<lhs path> <dep file names...>", with continuations
# joined and the deps reduced to file names.
dep_table() {
	awk '
	{ line = line $0 }
	/\\$/ { sub(/\\$/, " ", line); next }
	{
		if (line !~ /^[ \t]*(#|$)/) {
			i = index(line, ":")
			lhs = substr(line, 1, i - 1)
			n = split(substr(line, i + 1), d, /[ \t]+/)
			out = lhs
			for (k = 1; k <= n; k++) if (d[k] != "") { sub(/.*\//, "", d[k]); out = out " " d[k] }
			print out
		}
		line = ""
	}' "$MODDIR/modules.dep"
}

# deps_of FILE: the dependencies of module file FILE (e.g. mod_c.ko) in
# modules.dep, as sorted file names without .ko, space separated.
deps_of() {
	dep_table | awk -v f="$1" '{ b = $1; sub(/.*\//, "", b) } b == f { for (k = 2; k <= NF; k++) print $k }' |
		sed 's/\.ko$//' | sort | tr '\n' ' ' | sed 's/ $//'
}

# dep_entries FILE: how many modules.dep entries have FILE on the left.
dep_entries() {
	dep_table | awk -v f="$1" '{ b = $1; sub(/.*\//, "", b) } b == f { n++ } END { print n + 0 }'
}
