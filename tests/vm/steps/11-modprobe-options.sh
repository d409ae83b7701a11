# SPDX-License-Identifier: GPL-2.0-or-later
# `options mod_a level=5` in /etc/modules.conf reaches the kernel: for
# the module itself, for it as a dependency, and overridden by the
# command line (doc/compat.md, modutils modprobe: loading and options; kmod appends
# command-line options after the config's, so the last level= wins there
# too).
step() {
	need_tool modprobe || return
	run modprobe mod_a
	expect_rc plain-rc 0
	expect_mods plain-loaded "mod_a"
	expect_param plain-level-5 mod_a level 5
	busybox rmmod mod_a

	run modprobe mod_a level=9
	expect_rc cmdline-rc 0
	expect_param cmdline-level-9 mod_a level 9
	busybox rmmod mod_a

	# mod_b pulls mod_a in with the configured options.
	run modprobe mod_b
	expect_rc dep-rc 0
	expect_mods dep-loaded "mod_a mod_b"
	expect_param dep-level-5 mod_a level 5
}
