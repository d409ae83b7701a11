#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares our modprobe with Debian's kmod modprobe (the reference) on
# trees of the real test modules: dry-run outputs only (-D, -n -v, -R,
# -D -r, -c, --show-exports, --show-modversions), for every test module, a
# sample of aliases (each modules.alias pattern made concrete) and every
# exported symbol.  Trees: indexes written by kmod's depmod, and by ours;
# plain, xz and zstd compressed modules; with and without a modprobe.d
# configuration (aliases, options, install/remove commands, softdeps,
# blacklist).  stdout, stderr and the exit status must all match.
#
# Env: B (build dir, default build).  Prints PASS/FAIL per case group and
# exits non-zero if anything differs.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
OURS=$MODPROBE
OUR_DEPMOD=$DEPMOD
KMOD=$KMOD_MODPROBE

[ -x "$OURS" ] || { echo "FAIL $OURS not built"; exit 1; }
if [ ! -x "$KMOD" ] || [ ! -x "$KMOD_DEPMOD" ]; then
	echo "SKIP kmod's modprobe/depmod not installed"
	exit 0
fi
mods=$B/testmods
if [ ! -f "$mods/mod_a.ko" ]; then
	sh tests/build-modules.sh "$mods" >/dev/null || { echo "FAIL could not build the test modules"; exit 1; }
fi
mods=$(cd "$mods" && pwd)
kver=$(cat "$mods/kver")

mng_tmpdir work check-modprobe
fails=0
cases=0

# The configuration both tools read with -C (no bad lines: the two tools
# word their parse errors differently).
mkdir -p "$work/conf.d"
cat >"$work/conf.d/test.conf" <<'EOF'
alias mng-alias-b mod_b
alias mng-wild-* boot_one
alias mng-two mod_a
alias mng-two boot_two
alias mng-nothing no_such_module
options mod_a level=7
options mng-two greeting=hi
options boot_two   spaced	 out
install mod-d /bin/echo installing mod-d $CMDLINE_OPTS
remove boot_two /bin/echo removing boot_two
softdep boot_one pre: boot_two post: mng-alias-b
softdep mod_b pre: fail_init
blacklist mod_e
blacklist boot_two
EOF
cat >"$work/conf.d/other.conf" <<'EOF'
options mod_a extra=1
alias test_c_special mod-d
EOF

# make_tree NAME DEPMOD COMPRESS: ROOT=$work/NAME with the test modules
# (loop_x/loop_y left out: kmod's depmod rejects cycles).
make_tree() {
	root=$work/$1
	md=$root/lib/modules/$kver
	mkdir -p "$md/kernel/misc" "$md/kernel/drivers/net"
	for m in mod_a mod_b mod_c boot_one boot_two; do cp "$mods/$m.ko" "$md/kernel/misc/"; done
	for m in mod-d mod_e fail_init; do cp "$mods/$m.ko" "$md/kernel/drivers/net/"; done
	case $3 in
	xz) xz -q "$md/kernel/misc/mod_b.ko" "$md/kernel/drivers/net/mod-d.ko" ;;
	zstd) zstd -q --rm "$md/kernel/misc/mod_a.ko" "$md/kernel/misc/mod_c.ko" ;;
	esac
	# Two built-in modules, one with a built-in alias.
	printf 'kernel/fs/ext4/ext4.ko\nkernel/net/unix/unix.ko\n' >"$md/modules.builtin"
	printf 'ext4.alias=fs-ext4\0ext4.description=x\0unix.alias=net-pf-1\0' >"$md/modules.builtin.modinfo"
	"$2" -b "$root" "$kver" 2>/dev/null
}

# compare LABEL ARGS...: runs both tools with -d ROOT -S KVER ARGS.
compare() {
	label=$1
	shift
	cases=$((cases + 1))
	"$KMOD" -d "$root" -S "$kver" "$@" >"$work/k.out" 2>"$work/k.err"
	echo "rc=$?" >>"$work/k.out"
	"$OURS" -d "$root" -S "$kver" "$@" >"$work/o.out" 2>"$work/o.err"
	echo "rc=$?" >>"$work/o.out"
	# Our depmod writes modules.weakdep (kmod >= 33 does); kmod 30 neither
	# writes nor reads it, so its -c cannot show those lines.
	case "$label $* " in
	ours-depmod*" -c "*) is_c=1 ;;
	*) is_c= ;;
	esac
	if [ -n "$is_c" ]; then
		grep -v '^weakdep ' "$work/o.out" >"$work/o.tmp"
		mv "$work/o.tmp" "$work/o.out"
	fi
	if cmp -s "$work/k.out" "$work/o.out" && cmp -s "$work/k.err" "$work/o.err"; then
		return 0
	fi
	fails=$((fails + 1))
	echo "  DIFF [$label] modprobe -d ROOT -S $kver $*"
	diff "$work/k.out" "$work/o.out" | sed 's/^/    stdout /' | head -n 12
	diff "$work/k.err" "$work/o.err" | sed 's/^/    stderr /' | head -n 6
	return 1
}

# Concrete names for the alias patterns of modules.alias.
alias_samples() {
	sed -n 's/^alias \([^ ]*\) .*/\1/p' "$1/modules.alias" |
		sed -e 's/\[\([^]]\)[^]]*\]/\1/g' -e 's/\*/00/g' -e 's/?/x/g'
}

run_group() {
	name=$1
	shift
	before=$fails
	md=$root/lib/modules/$kver
	for m in mod_a mod_b mod_c mod-d mod_d mod_e fail_init boot_one boot_two no_such_module ext4 unix; do
		compare "$name" "$@" -D "$m"
		compare "$name" "$@" -n -v "$m"
		compare "$name" "$@" -R "$m"
		compare "$name" "$@" -D -r "$m"
		compare "$name" "$@" -n -v "$m" p=1 'q=a b'
		compare "$name" "$@" -n -v -i "$m"
		compare "$name" "$@" -n -v -b "$m"
	done
	compare "$name" "$@" -n -v -a mod_c boot_one mod_e
	compare "$name" "$@" -D -r -a mod_c no_such_module boot_one
	for a in $(alias_samples "$md") mng-alias-b mng-wild-x mng-two mng-nothing test-c-special fs-ext4 net-pf-1; do
		compare "$name" "$@" -D "$a"
		compare "$name" "$@" -R "$a"
		compare "$name" "$@" -n -v "$a" z=9
	done
	for s in $(sed -n 's/^alias \(symbol:[^ ]*\) .*/\1/p' "$md/modules.symbols"); do
		compare "$name" "$@" -D "$s"
		compare "$name" "$@" -R "$s"
	done
	compare "$name" "$@" -c
	for f in $(cd "$md" && find kernel -type f | sort); do
		compare "$name" "$@" --show-exports "$md/$f"
		compare "$name" "$@" --show-modversions "$md/$f"
	done
	if [ "$fails" -eq "$before" ]; then echo "PASS $name"; else echo "FAIL $name ($((fails - before)) differences)"; fi
}

for depmod in kmod ours; do
	if [ $depmod = ours ]; then
		dm=$OUR_DEPMOD
		if [ ! -x "$dm" ]; then
			echo "SKIP trees written by our depmod: $dm not built"
			continue
		fi
	else
		dm=$KMOD_DEPMOD
	fi
	for comp in plain xz zstd; do
		make_tree "$depmod-$comp" "$dm" "$comp" || { echo "FAIL depmod ($depmod) on the $comp tree"; fails=$((fails + 1)); continue; }
		root=$work/$depmod-$comp
		# -C with an empty directory: only modules.softdep and the kernel
		# command line, the same for both tools.
		mkdir -p "$work/empty.d"
		# (compressed trees only with the configuration, to keep the time down)
		[ "$comp" = plain ] && run_group "$depmod-depmod/$comp/no-config" -C "$work/empty.d"
		run_group "$depmod-depmod/$comp/modprobe.d" -C "$work/conf.d"
	done
done

# A relative -d: both make the module directory absolute against the
# working directory (it shows in every insmod line and message).
root=$work/kmod-plain
if [ -d "$root" ]; then
	for args in "-D mod_c" "-n -v no_such_module"; do
		cases=$((cases + 1))
		# shellcheck disable=SC2086 # args are words
		(cd "$work" && "$KMOD" -d kmod-plain -S "$kver" -C "$work/empty.d" $args) >"$work/k.out" 2>&1
		# shellcheck disable=SC2086
		(cd "$work" && "$OURS" -d kmod-plain -S "$kver" -C "$work/empty.d" $args) >"$work/o.out" 2>&1
		if ! cmp -s "$work/k.out" "$work/o.out"; then
			fails=$((fails + 1))
			echo "FAIL relative -d: modprobe -d kmod-plain $args"
			diff "$work/k.out" "$work/o.out" | head -n 6
		fi
	done
fi

# Configuration messages go through modprobe's logger: modprobe's name,
# nothing with -q.  (kmod 30 differs on purpose here: it prints this one
# through libkmod's default logger, as "libkmod: ERROR ../libkmod/...",
# before its own -q is in force.)
mkdir -p "$work/subdir.d/sub.conf"
cases=$((cases + 1))
"$OURS" -d "$work/none" -S "$kver" -n -C "$work/subdir.d" x >"$work/o.out" 2>"$work/o.err"
printf '%s\n' "modprobe: ERROR: Directories inside directories are not supported: $work/subdir.d/sub.conf" \
	"modprobe: FATAL: Module x not found in directory $work/none/lib/modules/$kver" >"$work/want.err"
if ! cmp -s "$work/want.err" "$work/o.err" || [ -s "$work/o.out" ]; then
	fails=$((fails + 1))
	echo "FAIL configuration message: modprobe -n -C DIR x"
	diff "$work/want.err" "$work/o.err" | head -n 6
fi
cases=$((cases + 1))
"$OURS" -d "$work/none" -S "$kver" -q -n -C "$work/subdir.d" x >"$work/o.out" 2>"$work/o.err"
if [ -s "$work/o.err" ] || [ -s "$work/o.out" ]; then
	fails=$((fails + 1))
	echo "FAIL -q did not silence the configuration message: modprobe -q -n -C DIR x"
	head -n 3 "$work/o.err"
fi

echo "$cases cases, $fails differences"
[ "$fails" -eq 0 ]
