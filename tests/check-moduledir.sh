#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The module directory: with a tree only under ROOT/usr/lib/modules/KVER,
# depmod -b ROOT and modprobe -d ROOT use it; with trees in both, the
# configured /lib/modules wins; depmod's -m wins over the fallback.
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-moduledir
need_tool "$MODPROBE" check-moduledir
need_testmods
mng_tmpdir W check-moduledir
K=$MODS_KVER

# tree ROOT DIR: the test stack mod_a <- mod_b <- mod_c under ROOT/DIR/K.
tree() {
  mkdir -p "$1/$2/$K/kernel"
  cp "$MODS/mod_a.ko" "$MODS/mod_b.ko" "$MODS/mod_c.ko" "$1/$2/$K/kernel/"
  printf 'kernel/mod_a.ko\nkernel/mod_b.ko\nkernel/mod_c.ko\n' >"$1/$2/$K/modules.order"
  : >"$1/$2/$K/modules.builtin"
  : >"$1/$2/$K/modules.builtin.modinfo"
}

R=$W/usr-only
tree "$R" usr/lib/modules
if "$DEPMOD" -b "$R" "$K" && [ -s "$R/usr/lib/modules/$K/modules.dep" ] && [ ! -e "$R/lib" ]; then
  ok "depmod: only usr/lib/modules has $K: written there, nothing under lib/modules"
else
  bad "depmod did not use usr/lib/modules/$K"
fi
out=$("$MODPROBE" -d "$R" -S "$K" --show-depends mod_c 2>&1)
if printf '%s\n' "$out" | grep -q "^insmod $R/usr/lib/modules/$K/kernel/mod_a.ko" &&
  printf '%s\n' "$out" | grep -q "^insmod $R/usr/lib/modules/$K/kernel/mod_c.ko"; then
  ok "modprobe: only usr/lib/modules has $K: its modules are loaded from there"
else
  bad "modprobe --show-depends mod_c: $out"
fi

R=$W/both
tree "$R" usr/lib/modules
tree "$R" lib/modules
"$DEPMOD" -b "$R" "$K"
if [ -s "$R/lib/modules/$K/modules.dep" ] && [ ! -e "$R/usr/lib/modules/$K/modules.dep" ]; then
  ok "depmod: both have $K: the configured lib/modules is used"
else
  bad "depmod with both trees did not write lib/modules/$K only"
fi
out=$("$MODPROBE" -d "$R" -S "$K" --show-depends mod_c 2>&1)
if printf '%s\n' "$out" | grep -q "^insmod $R/lib/modules/$K/kernel/mod_c.ko"; then
  ok "modprobe: both have $K: lib/modules is used"
else
  bad "modprobe with both trees: $out"
fi

R=$W/m-wins
tree "$R" usr/lib/modules
"$DEPMOD" -b "$R" -m lib/modules "$K" >"$W/m.out" 2>&1
rc=$?
if [ $rc != 0 ] && [ ! -e "$R/usr/lib/modules/$K/modules.dep" ]; then
  ok "depmod -m lib/modules wins over the fallback (exit $rc, nothing written)"
else
  bad "depmod -m lib/modules: exit $rc"; cat "$W/m.out"
fi
"$DEPMOD" -b "$R" -m usr/lib/modules "$K"
if [ -s "$R/usr/lib/modules/$K/modules.dep" ]; then ok "depmod -m usr/lib/modules writes there"; else bad "depmod -m usr/lib/modules wrote nothing"; fi
finish check-moduledir
