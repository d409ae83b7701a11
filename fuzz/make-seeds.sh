#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the fuzzers' seed corpora into OUT/<harness>/ (default
# $B/fuzz/seeds) from real inputs:
#   module          the test modules ($B/testmods), debug info stripped so
#                   the seeds stay small, plus gzip/xz/zstd copies; a few
#                   small Debian amd64 (ELF64) and armhf (ELF32) modules
#                   when tests/fetch-images.sh has unpacked them in $B/images
#   index, moddep   modules.*.bin and modules.dep written by Debian's kmod
#                   depmod on a small tree of those modules
#   modules_order, builtin
#                   modules.order, modules.builtin and modules.builtin.modinfo
#                   of the unpacked Debian trees (builtin: a first byte of 0
#                   or 1 chooses modules.builtin or .modinfo), and of the
#                   small tree below
#   journal         journals as depmod writes them (fuzz/seeds/journal)
#   depmod_config, modprobe_d, legacy
#                   fuzz/seeds/<harness>/ (hand-written snippets that use
#                   every command and quirk), the system's own modprobe.d
#                   files and the conf test cases
# Usage: make-seeds.sh B [OUT]
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
OUT=${2:-$B/fuzz/seeds}
KMOD_DEPMOD=${KMOD_DEPMOD:-/usr/sbin/depmod}
mods=$B/testmods

rm -rf "$OUT"
harnesses="module index moddep depmod_config modprobe_d legacy modules_order builtin journal"
for h in $harnesses; do mkdir -p "$OUT/$h"; done

# ---- module ---------------------------------------------------------------
[ -f "$mods/mod_a.ko" ] || { echo "make-seeds: no test modules in $mods (make $B/testmods.stamp)" >&2; exit 1; }
for ko in "$mods"/*.ko; do
  n=$(basename "$ko")
  strip --strip-debug -o "$OUT/module/$n" "$ko"
done
for n in mod_a mod_c; do
  gzip -9 -c "$OUT/module/$n.ko" >"$OUT/module/$n.ko.gz"
  xz -c --check=crc32 "$OUT/module/$n.ko" >"$OUT/module/$n.ko.xz"
  zstd -q -c "$OUT/module/$n.ko" >"$OUT/module/$n.ko.zst"
done
# Real distribution modules: the smallest few of each architecture, and
# a few of real size (up to the harness's 1 MiB max_len), one compressed.
for arch in amd64 armhf; do
  dir=$B/images/$arch/lib/modules
  [ -d "$dir" ] || continue
  find "$dir" -name '*.ko' -size -12k 2>/dev/null | LC_ALL=C sort | head -n 6 | while read -r ko; do
    cp "$ko" "$OUT/module/$arch-$(basename "$ko")"
  done
  find "$dir" -name '*.ko' -size +200k -size -1000k 2>/dev/null | LC_ALL=C sort | head -n 3 | while read -r ko; do
    cp "$ko" "$OUT/module/$arch-$(basename "$ko")"
  done
  big=$(find "$dir" -name '*.ko' -size +1100k -size -4000k 2>/dev/null | LC_ALL=C sort | head -n 1)
  [ -n "$big" ] && zstd -q -c "$big" >"$OUT/module/$arch-$(basename "$big").zst"
  for f in "$dir"/*/modules.order; do
    [ -f "$f" ] && cp "$f" "$OUT/modules_order/$arch-modules.order"
  done
  for f in "$dir"/*/modules.builtin; do
    [ -f "$f" ] && { printf '\0'; cat "$f"; } >"$OUT/builtin/$arch-modules.builtin"
  done
  for f in "$dir"/*/modules.builtin.modinfo; do
    [ -f "$f" ] && { printf '\1'; cat "$f"; } >"$OUT/builtin/$arch-modules.builtin.modinfo"
  done
done

# ---- index, moddep: what kmod writes for a small tree ---------------------
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
kver=9.9.9-seed
md=$tree/lib/modules/$kver
mkdir -p "$md/kernel" "$md/extra"
# loop_x/loop_y form a cycle, on which kmod writes nothing.
for ko in "$OUT"/module/*.ko; do
  case $(basename "$ko") in loop_*|armhf-*) continue ;; esac
  cp "$ko" "$md/kernel/"
done
xz -c --check=crc32 "$OUT/module/mod_e.ko" >"$md/extra/mod_e.ko.xz"
rm -f "$md/kernel/mod_e.ko"
printf 'kernel/fs/builtin_one.ko\nkernel/net/builtin-two.ko\n' >"$md/modules.builtin"
if [ -x "$KMOD_DEPMOD" ] && "$KMOD_DEPMOD" -b "$tree" "$kver" 2>/dev/null; then
  for f in "$md"/modules.*.bin; do cp "$f" "$OUT/index/"; done
  cp "$md/modules.dep" "$OUT/moddep/kmod-modules.dep"
else
  echo "make-seeds: $KMOD_DEPMOD failed; index and moddep seeds are the hand-written ones only" >&2
fi
cp fuzz/seeds/moddep/* "$OUT/moddep/"
(cd "$md" && find kernel extra -name '*.ko*' | LC_ALL=C sort) >"$OUT/modules_order/small.order"
{ printf '\0'; cat "$md/modules.builtin"; } >"$OUT/builtin/small.builtin"
cp fuzz/seeds/journal/* "$OUT/journal/"

# ---- configuration --------------------------------------------------------
cp fuzz/seeds/depmod_config/* "$OUT/depmod_config/"
cp fuzz/seeds/modprobe_d/* "$OUT/modprobe_d/"
cp fuzz/seeds/legacy/* "$OUT/legacy/"
i=0
for f in /lib/modprobe.d/*.conf /usr/lib/modprobe.d/*.conf /etc/modprobe.d/*.conf tests/conf-cases/modprobe.d/*.conf; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$OUT/modprobe_d/sys-$i-$(basename "$f")"
done
for f in tests/conf-cases/legacy/* tests/conf-cases/*/*.modules tests/conf-cases/*/modules.conf; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$OUT/legacy/case-$i-$(basename "$f")"
done

for h in $harnesses; do
  printf '%s %s seeds\n' "$h" "$(ls "$OUT/$h" | wc -l)"
done
