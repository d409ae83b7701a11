#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the test modules in tests/modules against Debian's linux-headers
# for the current linux-image-amd64, into OUT (default build/testmods).
set -e
OUT=${1:-build/testmods}
src=$(cd "$(dirname "$0")/modules" && pwd)
sh "$(dirname "$0")/setup-pkgs.sh" --why "test modules" linux-headers-amd64 >&2
hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$hdr" ] || { echo "build-modules: no /usr/src/linux-headers-*-amd64 (linux-headers-amd64)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$src"/*.c "$src"/Kbuild "$OUT"/
make -s -C "$hdr" M="$(cd "$OUT" && pwd)" modules >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
basename "$hdr" | sed 's/^linux-headers-//' >"$OUT/kver"
ls "$OUT"/*.ko >/dev/null
