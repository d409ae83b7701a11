# SPDX-License-Identifier: GPL-2.0-or-later
# `alias mng-nothing off` in /etc/modules.conf: modprobe does nothing,
# says nothing and succeeds (1996 page: "will make modprobe ignore
# requests to load that module"; doc/compat.md, modutils modprobe:
# name resolution; messages and exit codes).
step() {
	need_tool modprobe || return
	run modprobe mng-nothing
	expect_rc rc-0 0
	expect_eq no-stdout "$OUT" ""
	expect_eq no-stderr "$ERR" ""
	expect_mods nothing-loaded ""
}
