#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The two module readers side by side: common/elf_module.h (what the tools
# use) and the libelf one (tests/libelf_module.cc) read every module of the
# test modules and of Debian's amd64 and armhf (armmp) trees, each from the
# file and from memory, and must agree field by field ($B/elf_agree).  The
# Debian trees come from tests/fetch-images.sh; a tree it cannot provide is
# reported with a SKIP line.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
MAKE=${MAKE:-make}

$MAKE -s B="$B" "$B/elf_agree" >&2 || { echo "check-elf-agree: cannot build $B/elf_agree"; exit 1; }
status=0

mods=${MNG_TESTMODS:-$B/testmods}
if [ -f "$mods/mod_a.ko" ]; then
  "$B/elf_agree" "$mods" || status=1
else
  echo "SKIP check-elf-agree: no test modules in $mods (make $B/testmods.stamp)"
fi

trees=$(sh tests/fetch-images.sh 2>/dev/null || true)
for arch in amd64 armhf; do
  line=$(printf '%s\n' "$trees" | grep "^$arch " || true)
  if [ -z "$line" ]; then
    echo "SKIP check-elf-agree: no Debian $arch kernel image (tests/fetch-images.sh failed)"
    continue
  fi
  set -- $line
  "$B/elf_agree" "$3" || status=1
done
[ $status -eq 0 ] && echo "check-elf-agree: ok"
exit $status
