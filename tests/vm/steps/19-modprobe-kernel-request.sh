# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel runs modprobe itself: mounting a file system type nobody
# registered makes it call /proc/sys/kernel/modprobe (/sbin/modprobe, ours)
# as "modprobe -q -- fs-TYPE" with only HOME=/, TERM=linux and
# PATH=/sbin:/usr/sbin:/bin:/usr/bin: modutils' safe mode
# (doc/compat.md, modutils modprobe: command line and safe mode).  /etc/modprobe.d/mng-test.conf has
# "alias fs-mngsafe mod_a" and "alias fs-mng=safe mod_c".
step() {
	need_tool modprobe || return
	expect_eq kernel-calls-ours "$(cat /proc/sys/kernel/modprobe)" /sbin/modprobe
	mkdir -p /tmp/mnt
	# mod_a registers no file system, so the mount fails after the load.
	run busybox mount -t mngsafe none /tmp/mnt
	expect_rc mount-fails nonzero
	expect_mods loaded-by-the-kernel "mod_a"
	# /etc/modules.conf still applies: options mod_a level=5.
	expect_param with-its-options mod_a level 5
	busybox rmmod mod_a

	# Safe mode refuses a parameter with '=': the kernel's request loads
	# nothing, while the same name from a shell (not safe mode; modprobe.d
	# only, since modules.conf's rules would read the word as an option)
	# loads mod_c.
	run busybox mount -t mng=safe none /tmp/mnt
	expect_rc mount-with-equals-fails nonzero
	expect_mods safe-mode-refused-it ""
	run modprobe -C /etc/modprobe.d fs-mng=safe
	expect_rc shell-rc 0
	expect_loaded shell-loads-it mod_c
}
