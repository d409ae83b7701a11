# SPDX-License-Identifier: GPL-2.0-or-later
# insmod, lsmod and rmmod of the multi-call program (/sbin/insmod etc.,
# links to /sbin/modutils-ng, the static build) on the real kernel, and
# compared with Debian's kmod (/mng/kmod) in the same guest: lsmod's
# output byte for byte, and the messages and status of the commands that
# change nothing (a failing insmod, a refused rmmod).

# same_as_kmod CHECK TOOL ARGS...: ours and kmod's TOOL give the same
# status, standard output and standard error.
same_as_kmod() {
	c=$1
	t=$2
	shift 2
	run "/sbin/$t" "$@"
	ours="rc=$RC out=[$OUT] err=[$ERR]"
	run "/mng/kmod/$t" "$@"
	theirs="rc=$RC out=[$OUT] err=[$ERR]"
	check "$c" "ours: $ours; kmod's: $theirs" [ "$ours" = "$theirs" ]
}

step() {
	need_tool insmod || return
	need_tool rmmod || return
	need_tool lsmod || return
	check kmod-in-image "no /mng/kmod/kmod in the image" [ -x /mng/kmod/kmod ]
	expect_eq static-binary "$(cat /mng/modutils-ng.link 2>/dev/null)" static
	expect_eq insmod-is-a-link "$(readlink /sbin/insmod)" modutils-ng

	# insmod FILE PARAMS: loaded with the parameter.
	run insmod "$(ko mod_a)" level=7
	expect_rc insmod-rc 0
	expect_eq insmod-silent "$OUT$ERR" ""
	expect_param insmod-param mod_a level 7
	# Loading it again, a missing file, stdin, no operand, a failing
	# init and a module whose symbols are missing: as kmod says it.
	same_as_kmod insmod-again insmod "$(ko mod_a)"
	same_as_kmod insmod-missing insmod /lib/modules/no-such.ko
	same_as_kmod insmod-stdin insmod -
	same_as_kmod insmod-no-file insmod
	same_as_kmod insmod-fail-init insmod "$(ko fail_init)"
	same_as_kmod insmod-unknown-symbol insmod "$(ko mod_e)"
	expect_mods only-mod_a "mod_a"

	# A stack: mod_b (needs mod_a), mod_c and mod_e (need mod_b), mod-d.
	for m in mod_b mod-d mod_c mod_e; do
		run insmod "$(ko "$m")"
		expect_rc "insmod-$m" 0
	done
	expect_mods stack "mod_a mod_b mod_c mod_d mod_e"
	run lsmod
	expect_rc lsmod-rc 0
	same_as_kmod lsmod-equal lsmod
	# The same program by its own name and first argument.
	run /sbin/modutils-ng lsmod
	ours=$OUT
	run /mng/kmod/lsmod
	expect_eq lsmod-by-argument "$ours" "$OUT"
	snapshot stack

	# rmmod's refusals, word for word as kmod's, and nothing removed.
	same_as_kmod rmmod-held rmmod mod_b
	same_as_kmod rmmod-not-loaded rmmod boot_one
	same_as_kmod rmmod-no-name rmmod
	expect_mods refused-kept "mod_a mod_b mod_c mod_d mod_e"

	# Several names, one with a dash; then a file path.
	run rmmod mod_e mod-d
	expect_rc rmmod-two 0
	expect_mods rmmod-two-gone "mod_a mod_b mod_c"
	run rmmod "$(ko mod_c)"
	expect_rc rmmod-by-path 0
	# modutils' -r: mod_b, then mod_a which only mod_b used.
	insmod "$(ko mod_c)"
	run rmmod -r mod_c
	expect_rc rmmod-r-rc 0
	expect_mods rmmod-r-stack ""
	same_as_kmod lsmod-empty lsmod

	# modutils' -a: every unused module.
	for m in boot_one boot_two mod_a mod_b; do insmod "$(ko "$m")"; done
	run rmmod -a
	expect_rc rmmod-a-rc 0
	expect_mods rmmod-a-all ""

	# modprobe from the same binary: the stack in, lsmod as kmod's, out.
	run modprobe mod_e
	expect_rc modprobe-rc 0
	expect_mods modprobe-stack "mod_a mod_b mod_d mod_e"
	same_as_kmod lsmod-after-modprobe lsmod
	run modprobe -r mod_e
	expect_rc modprobe-r-rc 0
	expect_mods modprobe-r-gone ""

	# modinfo from the same binary, as kmod's: by path and by name, of a
	# module that is loaded and of one that is not, and a missing one.
	need_tool modinfo || return
	run modprobe mod_b
	expect_mods modinfo-loaded "mod_a mod_b"
	same_as_kmod modinfo-path-unloaded modinfo "$(ko mod_c)"
	same_as_kmod modinfo-name-loaded modinfo mod_b
	same_as_kmod modinfo-name-unloaded modinfo mod_e
	same_as_kmod modinfo-field modinfo -F depends mod_b
	same_as_kmod modinfo-missing modinfo no_such_module
	run modprobe -r mod_b
	expect_mods modinfo-left-none ""
}
