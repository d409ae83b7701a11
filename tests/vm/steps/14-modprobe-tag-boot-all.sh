# SPDX-License-Identifier: GPL-2.0-or-later
# Load-all by tag: every module under a boot directory (1996 page:
# "modprobe -a -t boot: All modules that are stored in the directory
# tagged boot will be loaded"; doc/compat.md, modutils modprobe: -t,
# wildcards and -a).  boot_one gets
# `options boot_one greeting=from_modprobe_d` from /etc/modprobe.d.
step() {
	need_tool modprobe || return
	run modprobe -a -t boot
	expect_rc bare-rc 0
	expect_mods bare-all-loaded "boot_one boot_two"
	expect_param modprobe.d-options boot_one greeting from_modprobe_d
	busybox rmmod boot_one
	busybox rmmod boot_two

	run modprobe -a -t boot '*'
	expect_rc pattern-rc 0
	expect_mods pattern-all-loaded "boot_one boot_two"

	# With -a a failing candidate doesn't stop the others: all of
	# kernel/drivers/net that can load does, and the status is still 0
	# (3.6: with -a, success if anything loaded).
	busybox rmmod boot_one
	busybox rmmod boot_two
	run modprobe -a -t net
	expect_rc net-all-rc 0
	expect_mods net-all-loaded "mod_a mod_b mod_d mod_e"
}
