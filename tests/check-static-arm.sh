#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-checks the statically linked armhf depmod against the native one:
# builds $B/static-arm-linux-gnueabihf/modutils-ng (make static with
# Debian's cross compiler) and runs it as depmod (the link beside it)
# under qemu-arm-static on Debian's real armmp module tree, runs the
# native $B/depmod on the same tree, and requires
# every output file to be byte-for-byte equal.  This catches code that
# depends on the host's word size (32-bit ARM against 64-bit x86) or on
# 64-bit file offsets, and proves the static cross build links and runs.
#
# The tree is $B/images/armhf as tests/fetch-images.sh leaves it; when it
# is missing, the newest cached linux-image-*-armmp .deb in MNG_CACHE is
# unpacked there the same way, and failing that fetch-images.sh is run.
# Exit status 0 when all files are equal.
set -eu
cd "$(dirname "$0")/.." && . tests/lib.sh
MAKE=${MAKE:-make}
CACHE=$MNG_CACHE
TRIPLE=arm-linux-gnueabihf
say() { echo "check-static-arm: $*" >&2; }
die() { say "FAIL: $*"; exit 1; }

# 1. The binaries.
$MAKE -s B="$B" "$B/depmod" >/dev/null || die "native build of $B/depmod failed"
$MAKE -s B="$B" static CROSS_COMPILE="$TRIPLE-" >"$B/check-static-arm.build.log" 2>&1 ||
  { cat "$B/check-static-arm.build.log" >&2; die "make static CROSS_COMPILE=$TRIPLE- failed"; }
arm="$B/static-$TRIPLE/depmod"
[ "$(readlink "$arm")" = modutils-ng ] || die "$arm is not a link to the multi-call modutils-ng"
# A static ARM executable: ARM machine, no program interpreter.
readelf -h "$arm" | grep -q 'Machine:.*ARM' || die "$arm is not an ARM executable"
if readelf -l "$arm" | grep -q 'INTERP'; then die "$arm is dynamically linked"; fi

need_pkgs qemu-user-static

# 2. The armmp module tree.
images="$B/images"
tree_ok() { ls -d "$images"/armhf/lib/modules/*/kernel >/dev/null 2>&1; }
if ! tree_ok; then
  deb=$(ls "$CACHE"/linux-image-*-armmp_*_armhf.deb 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$deb" ]; then
    say "unpacking $(basename "$deb")"
    rm -rf "$images/armhf" "$images/armhf.stamp"
    mkdir -p "$images/armhf"
    dpkg-deb -x "$deb" "$images/armhf"
    # The stamp fetch-images.sh writes, so it reuses this tree.
    printf '%s\n' "$(basename "$deb") $(stat -c '%s %Y' "$deb")" >"$images/armhf.stamp"
  else
    B="$B" sh tests/fetch-images.sh >/dev/null || true
  fi
fi
tree_ok || die "no armmp module tree in $images/armhf (no cached .deb in $CACHE, and fetch-images.sh found none)"
kver=$(ls "$images/armhf/lib/modules" | head -n 1)
nmods=$(find "$images/armhf/lib/modules/$kver" -name '*.ko*' | wc -l)
say "tree $kver with $nmods modules"

# 3. Both runs, each into its own output directory.
work="$B/check-static-arm"
rm -rf "$work"
mkdir -p "$work/native" "$work/arm"
"$B/depmod" -b "$images/armhf" -o "$work/native" "$kver" 2>"$work/native.err" ||
  { cat "$work/native.err" >&2; die "native depmod failed"; }
timeout 900 qemu-arm-static "$arm" -b "$images/armhf" -o "$work/arm" "$kver" 2>"$work/arm.err" ||
  { cat "$work/arm.err" >&2; die "armhf depmod failed under qemu-arm-static"; }
cmp -s "$work/native.err" "$work/arm.err" || {
  diff "$work/native.err" "$work/arm.err" | head -n 20 >&2; die "the two runs printed different messages"; }

# 4. The comparison: same set of files, every one equal.
nd="$work/native/lib/modules/$kver"
ad="$work/arm/lib/modules/$kver"
(cd "$nd" && ls) >"$work/native.list"
(cd "$ad" && ls) >"$work/arm.list"
cmp -s "$work/native.list" "$work/arm.list" || {
  diff "$work/native.list" "$work/arm.list" >&2; die "different sets of output files"; }
# A run that wrote nothing would compare equal: require a real modules.dep.
ndep=$(wc -l <"$nd/modules.dep" 2>/dev/null || echo 0)
[ "$ndep" -ge "$nmods" ] || die "modules.dep has $ndep lines for $nmods modules"
pass=0 fail=0
for f in $(cat "$work/native.list"); do
  # The cache records the inodes of its own run, so it differs between any two runs.
  [ "$f" = modules.cache ] && continue
  if cmp "$nd/$f" "$ad/$f" >&2; then pass=$((pass + 1)); else fail=$((fail + 1)); say "FAIL: $f differs"; fi
done
echo "check-static-arm: $pass passed, $fail failed ($(tr '\n' ' ' <"$work/native.list"))"
[ "$fail" -eq 0 ]
