# SPDX-License-Identifier: GPL-2.0-or-later
# An rc script of the modutils era, run as a whole on the real kernel:
# rebuild the dependencies quietly, load every boot module, then probe the
# net directory for the first module that loads.  The whole script must
# exit 0 with nothing on stderr (modutils' -q for depmod included).
# The guest's shell runs busybox applets first, hence the full paths.
step() {
	need_tool depmod || return
	need_tool modprobe || return
	for m in mod_e mod_c mod_b mod_a mod_d boot_one boot_two; do
		busybox rmmod "$m" 2>/dev/null
	done
	cat >/tmp/rc.modules <<'RC'
/sbin/depmod -a -q || exit 1
/sbin/modprobe -a -t boot || exit 2
/sbin/modprobe -t net 'mod*' || exit 3
RC
	run sh /tmp/rc.modules
	expect_rc rc-0 0
	expect_eq quiet "$ERR" ""
	expect_loaded boot-and-net boot_one boot_two mod_d
	expect_unloaded first-net-only mod_e
	for m in boot_one boot_two mod_d; do
		busybox rmmod "$m" 2>/dev/null
	done
}
