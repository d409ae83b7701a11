#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real-kernel test: boots Debian's linux-image for the kernel the test
# modules were built against under qemu (TCG, no KVM) with an initramfs
# holding busybox, our multi-call program (the static one, built here) as
# depmod, modprobe, insmod, rmmod and lsmod, Debian's kmod to compare with
# and the test modules, runs the
# guest steps tests/vm/steps/*.sh and checks that every one passed.
#
# Usage: sh tests/check-vm.sh [STEP.sh | DIR]...
#   Extra step files (or directories of them) run too, sorted by name with
#   the enabled ones, e.g. `sh tests/check-vm.sh /tmp/more-steps`.
# Environment: B (build dir, default build), VM_TIMEOUT (seconds, default
#   300), QEMU (default qemu-system-x86_64), VM_MEM (default 512M),
#   VM_BOOT=bzimage (boot the vmlinuz instead of its unpacked kernel),
#   MNG_VM_TOOLS=kmod (Debian's kmod as the guest's depmod and modprobe),
#   MNG_VM_BIN (the multi-call program to put in, instead of building
#   $B/static/modutils-ng).
# The console log is kept in $B/vm/console.log.
set -eu
cd "$(dirname "$0")/.." && . tests/lib.sh
vm=$B/vm
QEMU=${QEMU:-qemu-system-x86_64}
t0=$(date +%s)

need_pkgs qemu-system-x86 busybox-static cpio
for tool in "$QEMU" cpio busybox dpkg-deb; do
	command -v "$tool" >/dev/null || { echo "check-vm: $tool not found (tests/setup-pkgs.sh qemu-system-x86 busybox-static cpio)" >&2; exit 1; }
done
mkdir -p "$vm"

make -s B="$B" "$B/testmods.stamp"
# The guest runs the tools from the one static binary.
if [ "${MNG_VM_TOOLS:-build}" != kmod ] && [ -z "${MNG_VM_BIN:-}" ]; then
	make -s B="$B" "$B/static/modutils-ng" >"$vm/static-build.log" 2>&1 ||
		{ cat "$vm/static-build.log" >&2; echo "check-vm: make $B/static/modutils-ng failed" >&2; exit 1; }
fi
kver=$(cat "$B/testmods/kver")
kernel=$(sh tests/vm/fetch-kernel.sh "$kver" "$vm/kernel")

# The steps: every enabled one plus the extra files and directories given.
: >"$vm/steps.list"
for f in tests/vm/steps/*.sh; do
	[ -e "$f" ] && echo "$f" >>"$vm/steps.list"
done
for a in "$@"; do
	if [ -d "$a" ]; then
		ls "$a"/*.sh >>"$vm/steps.list" 2>/dev/null || true
	elif [ -f "$a" ]; then
		echo "$a" >>"$vm/steps.list"
	else
		echo "check-vm: no step file or directory $a" >&2
		exit 1
	fi
done
dups=$(sed 's,.*/,,' "$vm/steps.list" | sort | uniq -d)
[ -z "$dups" ] || { echo "check-vm: step names used twice: $dups" >&2; exit 1; }
steps=$(cat "$vm/steps.list")
names=$(sed 's,.*/,,; s,\.sh$,,' "$vm/steps.list" | LC_ALL=C sort)
[ -n "$names" ] || { echo "check-vm: no steps" >&2; exit 1; }

# shellcheck disable=SC2086 # one word per step file
sh tests/vm/mkinitramfs.sh "$B" "$kver" "$vm/kernel/root" "$vm/initramfs.gz" $steps
t1=$(date +%s)

echo "check-vm: booting $kernel under qemu (TCG), log in $vm/console.log"
rc=0
timeout "${VM_TIMEOUT:-300}" "$QEMU" -accel tcg -m "${VM_MEM:-512M}" -smp 1 \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$vm/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet" \
	</dev/null >"$vm/console.log" 2>&1 || rc=$?
t2=$(date +%s)
case $rc in
0) ;;
124) echo "check-vm: qemu killed after ${VM_TIMEOUT:-300}s" ;;
*) echo "check-vm: qemu exited with status $rc" ;;
esac
echo "check-vm: build $((t1 - t0))s, boot+steps $((t2 - t1))s"

# shellcheck disable=SC2086
if sh tests/vm/verdict.sh "$vm/console.log" $names && [ "$rc" -eq 0 ]; then
	echo "check-vm: all $(echo "$names" | wc -l) steps passed"
else
	echo "check-vm: FAILED (full console log: $vm/console.log)"
	exit 1
fi
