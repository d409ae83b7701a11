#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Binary indexes on Debian's full amd64 module tree (about 4000 modules,
# 26000 aliases): kmod 30's depmod writes its .bin files, then the unit
# tests tagged [.index-tree] check that
#   - our writer, fed the entries of kmod's text outputs in kmod's order,
#     produces byte-identical modules.{dep,alias,symbols,builtin,builtin.alias}.bin
#     (and print how long building and serialising each one took);
#   - our reader's dump of kmod's files equals `modprobe -c`, and every
#     stored alias, made concrete, resolves as `modprobe -R` resolves it.
# The tree comes from tests/fetch-images.sh ($B/images/amd64) and is
# hardlinked into $B/index-tree, so kmod's outputs never land in the
# shared unpacked image.
set -eu
cd "$(dirname "$0")/.." && . tests/lib.sh

debian_tree amd64 check-index
kver=$DEB_KVER

tree=$B/index-tree
rm -rf "$tree"
# Keep the inputs only; depmod replaces outputs by rename, but start clean.
inputs_only "$DEB_TREE" "$tree/lib/modules/$kver"
"$KMOD_DEPMOD" -b "$tree" "$kver"

[ -x "$B/unit_tests" ] || make -s B="$B" "$B/unit_tests"
MNG_INDEX_TREE="$(pwd)/$tree/lib/modules/$kver" "$B/unit_tests" "[.index-tree]"
