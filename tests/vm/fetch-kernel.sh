#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: fetch-kernel.sh KVER DIR
# Finds Debian's linux-image-KVER .deb (the kernel the test modules were
# built for), downloading it with apt-get if no copy is cached, and
# unpacks its vmlinuz, modules.builtin* and modules.order into DIR/root.
# Prints the path of the kernel to boot.  The package version must equal
# the version of the linux-headers-KVER the modules were compiled
# against; a mismatch, or an apt whose linux-image-amd64 points at
# another kernel, is reported loudly on stderr.
set -eu
kver=$1
dir=$2
cache=${MNG_KERNEL_CACHE:-/var/cache/modutils-ng-test}
mkdir -p "$dir"

loud() {
	echo "check-vm: ************************************************************" >&2
	for l in "$@"; do echo "check-vm: *** $l" >&2; done
	echo "check-vm: ************************************************************" >&2
}

hver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)
[ -n "$hver" ] || loud "linux-headers-$kver is not installed as a package: can't check the image version against it"

# What Debian currently calls its amd64 kernel.
meta=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1)
if [ -n "$meta" ] && [ "$meta" != "linux-image-$kver" ]; then
	loud "apt's linux-image-amd64 depends on $meta, but the test modules" \
		"were built against linux-headers-$kver: using linux-image-$kver." \
		"Update linux-headers-amd64 (apt-get update; apt-get install linux-headers-amd64) to test the current kernel."
fi

# A cached .deb: the one with the headers' version, else the newest.
pick() {
	ls "$cache"/linux-image-"$kver"_*_amd64.deb "$dir"/linux-image-"$kver"_*_amd64.deb \
		/var/cache/apt/archives/linux-image-"$kver"_*_amd64.deb 2>/dev/null | sort -V >"$dir/candidates" || true
	want=
	[ -n "$hver" ] && want=$(grep -F "_$(echo "$hver" | sed 's/:/%3a/')_amd64.deb" "$dir/candidates" | tail -n 1 || true)
	[ -n "$want" ] || want=$(tail -n 1 "$dir/candidates")
	echo "$want"
}
deb=${MNG_KERNEL_DEB:-$(pick)}
if [ -z "$deb" ]; then
	echo "check-vm: downloading linux-image-$kver${hver:+ $hver}" >&2
	(cd "$dir" && apt-get download "linux-image-$kver${hver:+=$hver}" >&2) || {
		echo "check-vm: apt-get download linux-image-$kver failed (run apt-get update?)" >&2
		exit 1
	}
	deb=$(pick)
	[ -n "$deb" ] || { echo "check-vm: no linux-image-$kver .deb after download" >&2; exit 1; }
fi

iver=$(dpkg-deb -f "$deb" Version)
ipkg=$(dpkg-deb -f "$deb" Package)
if [ "$ipkg" != "linux-image-$kver" ]; then
	echo "check-vm: $deb is $ipkg, not linux-image-$kver" >&2
	exit 1
fi
if [ -n "$hver" ] && [ "$iver" != "$hver" ]; then
	loud "VERSION MISMATCH: kernel image $ipkg $iver" \
		"but the modules were built against linux-headers-$kver $hver." \
		"Their symbol CRCs may not match the kernel; expect load failures."
fi

# Unpack once per .deb: only the kernel and the module lists
# are needed, not the thousands of Debian modules.
stamp="$ipkg $iver"
if [ "$(cat "$dir/unpacked" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$dir/root" "$dir/unpacked" "$dir"/vmlinux-*
	mkdir -p "$dir/root"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir/root" \
		"./boot/vmlinuz-$kver" \
		"./lib/modules/$kver/modules.builtin" "./lib/modules/$kver/modules.builtin.modinfo" \
		"./lib/modules/$kver/modules.order"
	echo "$stamp" >"$dir/unpacked"
fi
echo "check-vm: kernel $ipkg $iver from $deb" >&2
vmlinuz=$dir/root/boot/vmlinuz-$kver

# The bzImage decompresses its xz-packed kernel itself, which takes
# seconds under TCG.  The same kernel unpacked once here boots directly
# through its PVH entry point (CONFIG_PVH, an ELF note qemu looks for).
# VM_BOOT=bzimage, or anything unexpected on the way, boots the bzImage.
vmlinux=$dir/vmlinux-$kver
if [ "${VM_BOOT:-pvh}" = pvh ] && [ ! -s "$vmlinux" ]; then
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
	if [ -n "$off" ] && tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$vmlinux.tmp" 2>/dev/null &&
		readelf -n "$vmlinux.tmp" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
		mv "$vmlinux.tmp" "$vmlinux"
	else
		rm -f "$vmlinux.tmp"
		echo "check-vm: no PVH kernel in $vmlinuz: booting the bzImage" >&2
	fi
fi
if [ "${VM_BOOT:-pvh}" = pvh ] && [ -s "$vmlinux" ]; then
	echo "$vmlinux"
else
	echo "$vmlinuz"
fi
