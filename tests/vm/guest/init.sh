#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the test initramfs: mounts the kernel file systems, runs the
# steps, prints the end marker and powers the machine off.  If poweroff
# fails, init exits, the kernel panics and panic=-1 with qemu's
# -no-reboot ends the run anyway.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
# Only emergencies on the console, so kernel messages don't split our lines.
echo 1 >/proc/sys/kernel/printk

echo "MNGINFO kernel $(uname -r) ($(cut -d' ' -f1 /proc/uptime)s after boot)"
for t in depmod modprobe insmod rmmod lsmod; do
	if [ -x /sbin/$t ]; then
		echo "MNGINFO /sbin/$t is $(readlink /sbin/$t || echo ours)"
	else
		echo "MNGINFO /sbin/$t is not in this image (no modutils-ng built): steps that need it fail"
	fi
done
echo "MNGINFO steps: $(cd /mng/steps && ls -- *.sh 2>/dev/null | sed 's/\.sh$//' | tr '\n' ' ')"

sh /mng/run-steps.sh

echo "MNGTEST-END ($(cut -d' ' -f1 /proc/uptime)s after boot)"
sync
poweroff -f
sleep 5
