# SPDX-License-Identifier: GPL-2.0-or-later
# Tagged probing: load the first module under a net directory that
# works.  kernel/drivers/net holds fail_init.ko, mod-d.ko and mod_e.ko,
# tried in that (strcmp) order: fail_init's init fails with ENODEV, mod-d
# loads, and probing stops there, so mod_e stays out (1996 page:
# "modprobe -t net ... Each module are tried until one succeed";
# doc/compat.md, modutils modprobe: -t, wildcards and -a: candidates are paths containing /net/, stop at
# the first success unless -a).
step() {
	need_tool modprobe || return
	# The 1996 form, without a pattern.
	run modprobe -t net
	expect_rc bare-rc 0
	expect_mods bare-first-working "mod_d"
	busybox rmmod mod_d

	# The modutils 2.4 form, with a pattern.
	run modprobe -t net '*'
	expect_rc pattern-rc 0
	expect_mods pattern-first-working "mod_d"
	busybox rmmod mod_d

	# A pattern that leaves only the failing module: non-zero, nothing in.
	run modprobe -t net 'fail*'
	expect_rc only-failing-rc nonzero
	expect_mods only-failing-nothing ""
}
