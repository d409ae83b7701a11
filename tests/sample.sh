#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make sample`: runs our depmod on the small module tree shipped in sample/
# and shows what it writes.  The tree is copied to $B/sample first so that
# sample/ itself stays clean.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
B=${B:-build}
DEPMOD=${DEPMOD:-$B/depmod}
KVER=$(ls sample/lib/modules | head -n 1)
root=$B/sample
dir=$root/lib/modules/$KVER

rm -rf "$root"
mkdir -p "$root"
cp -a sample/lib "$root/"

echo "\$ $DEPMOD -b $root $KVER"
"$DEPMOD" -b "$root" "$KVER"
echo
echo "Modules in the tree ($dir):"
(cd "$dir" && find . -name '*.ko*' | sed 's|^\./|  |' | LC_ALL=C sort)
echo
echo "Files written by depmod:"
(cd "$dir" && for f in modules.*; do
  [ -f "$TOP/sample/lib/modules/$KVER/$f" ] && continue
  printf '  %-28s %6d bytes\n' "$f" "$(wc -c <"$f")"
done)
for f in modules.dep modules.alias modules.softdep; do
  echo
  echo "--- $f"
  cat "$dir/$f"
done
