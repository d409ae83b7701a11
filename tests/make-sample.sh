#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates the sample module tree in sample/lib/modules/<KVER>/ from the
# test modules ($B/testmods, built from tests/modules against Debian's
# linux-headers) and two real builtin entries of Debian's matching
# linux-image package.  Only needed when tests/modules changes; the result
# is committed so that `make sample` works without building modules.
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
[ -f "$B/testmods/mod_a.ko" ] || make -s B="$B" "$B/testmods.stamp"
KVER=$(cat "$B/testmods/kver")
out=sample/lib/modules/$KVER
rm -rf sample/lib
mkdir -p "$out/kernel/lib" "$out/kernel/drivers/misc" "$out/kernel/drivers/char" \
  "$out/kernel/fs/samplefs" "$out/extra"

# Debug info is most of a module's size and depmod never reads it.
put() { strip --strip-debug -o "$out/$2" "$B/testmods/$1.ko"; }
put mod_a kernel/lib/mod_a.ko
put mod_b kernel/drivers/misc/mod_b.ko
put mod_c kernel/fs/samplefs/mod_c.ko
put mod-d kernel/drivers/char/mod-d.ko
put mod_e kernel/drivers/misc/mod_e.ko
put boot_one extra/boot_one.ko
put boot_two extra/boot_two.ko
# As the kernel build writes it: in-tree modules only, in link order.
printf '%s\n' kernel/lib/mod_a.ko kernel/drivers/misc/mod_b.ko \
  kernel/drivers/char/mod-d.ko kernel/drivers/misc/mod_e.ko \
  kernel/fs/samplefs/mod_c.ko >"$out/modules.order"

# Two modules that Debian builds into this kernel, with their modinfo records.
img=$B/images/amd64/lib/modules/$KVER
[ -f "$img/modules.builtin" ] || B=$B sh tests/fetch-images.sh >/dev/null
[ -f "$img/modules.builtin" ] || { echo "make-sample: no Debian tree for $KVER in $img" >&2; exit 1; }
grep -E '^kernel/(net/unix/unix|crypto/sha256_generic)\.ko$' "$img/modules.builtin" >"$out/modules.builtin"
tr '\0' '\n' <"$img/modules.builtin.modinfo" | grep -E '^(unix|sha256_generic)\.' |
  tr '\n' '\0' >"$out/modules.builtin.modinfo"
[ "$(wc -l <"$out/modules.builtin")" = 2 ] || { echo "make-sample: builtin entries not found" >&2; exit 1; }
echo "sample tree for $KVER written to $out"
