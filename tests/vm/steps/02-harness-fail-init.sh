# SPDX-License-Identifier: GPL-2.0-or-later
# Harness self-test: a module whose init returns -ENODEV.
step() {
	run busybox insmod "$(ko fail_init)"
	expect_rc insmod-fails nonzero
	expect_contains no-such-device "$ERR" "No such device"
	expect_mods not-loaded ""
	# The same with the dash-named module next to it, which loads.
	run busybox insmod "$(ko mod-d)"
	expect_rc mod-d-rc 0
	expect_mods mod-d-as-mod_d "mod_d"
	snapshot mod_d
}
