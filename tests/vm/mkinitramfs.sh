#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: mkinitramfs.sh B KVER KROOT OUT STEP.sh...
# Builds the test initramfs OUT (cpio newc, gzip) from:
#   busybox-static and its applet links; the multi-call program as
#   /sbin/modutils-ng with /sbin/depmod, modprobe, insmod, rmmod and lsmod
#   links to it: B/static/modutils-ng (make static), else B/modutils-ng
#   with its shared libraries (MNG_VM_BIN names another); Debian's kmod as
#   /mng/kmod/kmod with insmod, rmmod and lsmod links, the reference the
#   tool steps compare with;
#   the test modules of B/testmods under /lib/modules/KVER; the module
#   lists modules.builtin* and modules.order of the kernel package KROOT;
#   tests/vm/rootfs (the guest's /etc); tests/vm/guest as /init and /mng;
#   the given step files as /mng/steps.
set -eu
B=$1
kver=$2
kroot=$3
out=$4
shift 4
vm=$(cd "$(dirname "$0")" && pwd)
root=$B/vm/root
rm -rf "$root"
mkdir -p "$root"
for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp run root mng/steps mng/ko-extra; do
	mkdir -p "$root/$d"
done

# copy_libs BINARY: the dynamic loader and every library ldd lists, at the
# paths ldd prints, so the binary runs unchanged in the guest.
copy_libs() {
	ldd "$1" >"$B/vm/ldd.out" 2>&1 || return 0 # static: nothing to copy
	if grep -q 'not found' "$B/vm/ldd.out"; then
		echo "mkinitramfs: $1 has missing libraries:" >&2
		cat "$B/vm/ldd.out" >&2
		exit 1
	fi
	for lib in $(sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' "$B/vm/ldd.out"); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

bb=$(command -v busybox || true)
[ -n "$bb" ] || { echo "mkinitramfs: no busybox (install busybox-static)" >&2; exit 1; }
cp -L "$bb" "$root/bin/busybox"
copy_libs "$root/bin/busybox"
# One perl (Essential in Debian) instead of a few hundred ln processes.
"$root/bin/busybox" --list-full | grep -vx bin/busybox >"$B/vm/applets"
(cd "$root" && perl -ne 'chomp; unlink; symlink("/bin/busybox", $_) or die "$_: $!\n"') <"$B/vm/applets"
[ -L "$root/bin/sh" ] || { echo "mkinitramfs: no busybox applet links" >&2; exit 1; }
# busybox's own module tools stay reachable as `busybox depmod` etc.;
# the names belong to ours.
mng_tools="depmod modprobe insmod rmmod lsmod modinfo"
for t in $mng_tools; do
	rm -f "$root/sbin/$t"
done
# Debian's kmod, always there for the steps to compare with, under its
# own names in /mng/kmod (it picks the tool by the name it is run by).
if command -v kmod >/dev/null 2>&1; then
	mkdir -p "$root/mng/kmod"
	cp -L "$(command -v kmod)" "$root/mng/kmod/kmod"
	copy_libs "$root/mng/kmod/kmod"
	for t in insmod rmmod lsmod modinfo; do
		ln -s kmod "$root/mng/kmod/$t"
	done
fi
# MNG_VM_TOOLS=kmod puts Debian's kmod there instead: a reference run
# that shows which expectations of the steps kmod meets.
if [ "${MNG_VM_TOOLS:-build}" = kmod ]; then
	cp -L "$(command -v kmod)" "$root/bin/kmod"
	copy_libs "$root/bin/kmod"
	for t in $mng_tools; do
		ln -s /bin/kmod "$root/sbin/$t"
	done
	echo "mkinitramfs: Debian's kmod as /sbin/depmod, modprobe, insmod, rmmod and lsmod" >&2
else
	bin=${MNG_VM_BIN:-}
	[ -n "$bin" ] || for c in "$B/static/modutils-ng" "$B/modutils-ng"; do
		[ -x "$c" ] && { bin=$c; break; }
	done
	if [ -n "$bin" ] && [ -x "$bin" ]; then
		cp -L "$bin" "$root/sbin/modutils-ng"
		copy_libs "$bin"
		for t in $mng_tools; do
			ln -s modutils-ng "$root/sbin/$t"
		done
		# Whether the guest's program is the static one, for the steps.
		if readelf -l "$bin" 2>/dev/null | grep -q INTERP; then echo dynamic; else echo static; fi \
			>"$root/mng/modutils-ng.link"
		echo "mkinitramfs: $bin ($(cat "$root/mng/modutils-ng.link")) as /sbin/modutils-ng" >&2
	else
		echo "mkinitramfs: neither $B/static/modutils-ng nor $B/modutils-ng exists: not in the image" >&2
	fi
fi

# The module tree the steps work on.  fail_init comes first in
# kernel/drivers/net, mod-d next and mod_e last (strcmp order), so a
# tagged probe has a failing first candidate; boot/ holds the two
# independent modules for load-all.  loop_x/loop_y (a dependency cycle)
# are kept aside in /mng/ko-extra for steps that want them.
tm=$B/testmods
md=$root/lib/modules/$kver
mkdir -p "$md/kernel/misc" "$md/kernel/drivers/net" "$md/boot"
cp "$tm/mod_a.ko" "$tm/mod_b.ko" "$tm/mod_c.ko" "$md/kernel/misc/"
cp "$tm/fail_init.ko" "$tm/mod-d.ko" "$tm/mod_e.ko" "$md/kernel/drivers/net/"
cp "$tm/boot_one.ko" "$tm/boot_two.ko" "$md/boot/"
cp "$tm/loop_x.ko" "$tm/loop_y.ko" "$root/mng/ko-extra/"
# The kernel package's own lists, as on an installed system (its
# modules.order names Debian's modules, which the image doesn't hold).
for f in modules.builtin modules.builtin.modinfo modules.order; do
	cp "$kroot/lib/modules/$kver/$f" "$md/"
done

cp -R "$vm/rootfs/." "$root/"
cp "$vm/guest/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$vm/guest/lib.sh" "$vm/guest/run-steps.sh" "$root/mng/"
for s in "$@"; do
	cp "$s" "$root/mng/steps/"
done

# newc entry for a character device, so /dev/console exists before /init
# runs without needing mknod (and root) on the host.
newc_chr() { # NAME INO MAJOR MINOR
	n=$(($(printf '%s' "$1" | wc -c) + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$2" $((0x2000 | 0600)) 0 0 1 0 0 0 0 "$3" "$4" "$n" 0
	printf '%s\0' "$1"
	pad=$(((4 - (110 + n) % 4) % 4))
	[ "$pad" -eq 0 ] || head -c "$pad" /dev/zero
}
newc_trailer() {
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' 0 0 0 0 1 0 0 0 0 0 0 11 0
	printf 'TRAILER!!!\0'
	head -c 3 /dev/zero
}

# Two archives in one stream: the kernel unpacks them one after the other.
{
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
	newc_chr dev/console 900001 5 1
	newc_trailer
} | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
