# SPDX-License-Identifier: GPL-2.0-or-later
# Aliases from both configuration languages, and modprobe.d options.
step() {
	need_tool modprobe || return
	# /etc/modules.conf: alias mng-legacy-a mod_a; the real module's
	# options still apply (doc/compat.md, modutils modprobe: loading and options: the final module's
	# options first, then each alias's).
	run modprobe mng-legacy-a
	expect_rc legacy-rc 0
	expect_mods legacy-loaded "mod_a"
	expect_param legacy-level-5 mod_a level 5
	busybox rmmod mod_a

	# /etc/modprobe.d/mng-test.conf: alias mng-pd-alias boot_two.
	run modprobe mng-pd-alias
	expect_rc modprobe.d-rc 0
	expect_mods modprobe.d-loaded "boot_two"
	busybox rmmod boot_two

	# /etc/modprobe.d/mng-test.conf: options boot_one greeting=...
	run modprobe boot_one
	expect_rc modprobe.d-options-rc 0
	expect_param modprobe.d-options boot_one greeting from_modprobe_d
	busybox rmmod boot_one

	# The module's own MODULE_ALIAS("test-alias-a"), via depmod's index.
	run modprobe test-alias-a
	expect_rc modinfo-alias-rc 0
	expect_mods modinfo-alias-loaded "mod_a"
}
