# SPDX-License-Identifier: GPL-2.0-or-later
# Harness self-test: busybox insmod with a parameter on the real kernel.
step() {
	run busybox insmod "$(ko mod_a)" level=7
	expect_rc insmod-rc 0
	expect_mods loaded "mod_a"
	expect_param level-7 mod_a level 7
	expect_eq unused "$(users_of mod_a)" "-"
	snapshot mod_a
	run busybox rmmod mod_a
	expect_rc rmmod-rc 0
	expect_mods unloaded ""
}
