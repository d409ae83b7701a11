# SPDX-License-Identifier: GPL-2.0-or-later
# pre-install / post-install lines of /etc/modules.conf run around the
# insmod of mod_b, after its dependency mod_a is in (doc/compat.md,
# modutils modprobe: loading and options: stack loaded deps first; for each entry pre-install, insmod,
# post-install).  /etc/mng-hook.sh logs to /tmp/mng-hooks which of the
# two modules were loaded when it ran.
step() {
	need_tool modprobe || return
	run modprobe mod_b
	expect_rc rc-0 0
	expect_mods loaded "mod_a mod_b"
	want="pre-install mod_b mod_a=1 mod_b=0
post-install mod_b mod_a=1 mod_b=1"
	expect_eq hook-log "$(cat /tmp/mng-hooks 2>/dev/null)" "$want"

	# Already loaded: nothing runs again (3.5: loaded entries are skipped).
	run modprobe mod_b
	expect_rc again-rc 0
	expect_eq again-no-hooks "$(cat /tmp/mng-hooks 2>/dev/null)" "$want"

	# mod_a has no hooks: loading it alone logs nothing.
	busybox rmmod mod_b
	busybox rmmod mod_a
	rm -f /tmp/mng-hooks
	run modprobe mod_a
	expect_rc a-rc 0
	check a-no-hooks "/tmp/mng-hooks written for mod_a" test ! -e /tmp/mng-hooks
}
