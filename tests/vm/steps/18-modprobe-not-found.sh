# SPDX-License-Identifier: GPL-2.0-or-later
# An unknown module: non-zero status and an error naming it, nothing
# loaded (doc/compat.md, modutils modprobe: messages and exit codes: "modprobe: Can't locate
# module X", status 255; doc/compat.md, modprobe: name resolution: "modprobe: FATAL: Module X
# not found in directory ...", status 1).  -q silences the message but
# not the status.
step() {
	need_tool modprobe || return
	run modprobe mng-no-such-module
	expect_rc rc-nonzero nonzero
	expect_contains names-it "$ERR" "mng-no-such-module"
	expect_eq no-stdout "$OUT" ""
	expect_mods nothing-loaded ""

	run modprobe -q mng-no-such-module
	expect_rc quiet-rc-nonzero nonzero
	expect_eq quiet-silent "$OUT$ERR" ""
}
