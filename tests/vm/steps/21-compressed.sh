# SPDX-License-Identifier: GPL-2.0-or-later
# A gzip-compressed module: decompressed in user space, loaded with init_module.
step() {
	need_tool modprobe || return
	mkdir -p /tmp/mng-gz
	busybox gzip -c "$(ko mod_a)" >/tmp/mng-gz/mod_a.ko.gz
	run modprobe -C /tmp/mng-gz -v /tmp/mng-gz/mod_a.ko.gz level=4
	expect_rc gz-rc 0
	expect_mods gz-loaded "mod_a"
	expect_param gz-level mod_a level 4
}
