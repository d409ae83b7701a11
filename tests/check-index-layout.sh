#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod --index-layout: kmod30 (the default) writes kmod 30's .bin files
# byte for byte; kmod34 writes the same text files and .bin files of the
# same size with the nodes placed as kmod 34 places them, which kmod's own
# modprobe reads to the same answers.  A bad value is refused.
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-index-layout
need_testmods
mng_tmpdir W check-index-layout
bins="modules.dep.bin modules.alias.bin modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin"
texts="modules.dep modules.alias modules.softdep modules.symbols modules.devname"

# tree NAME: the test modules under $W/NAME/lib/modules/$MODS_KVER.
tree() {
  _d=$W/$1/lib/modules/$MODS_KVER
  mkdir -p "$_d/kernel"
  for _m in mod_a mod_b mod_c mod-d mod_e boot_one boot_two; do cp "$MODS/$_m.ko" "$_d/kernel/"; done
  ls "$_d/kernel" | sed "s|^|kernel/|" >"$_d/modules.order"
  printf 'kernel/fake_builtin.ko\n' >"$_d/modules.builtin"
  : >"$_d/modules.builtin.modinfo"
}
for n in default k30 k34 kmod; do tree $n; done
"$DEPMOD" -b "$W/default" "$MODS_KVER" || bad "depmod (default) failed"
"$DEPMOD" --index-layout=kmod30 -b "$W/k30" "$MODS_KVER" || bad "depmod --index-layout=kmod30 failed"
"$DEPMOD" --index-layout=kmod34 -b "$W/k34" "$MODS_KVER" || bad "depmod --index-layout=kmod34 failed"
D=lib/modules/$MODS_KVER
for f in $bins; do
  if cmp -s "$W/default/$D/$f" "$W/k30/$D/$f"; then ok "kmod30 is the default: $f"; else bad "kmod30 differs from the default: $f"; fi
  s30=$(wc -c <"$W/k30/$D/$f") s34=$(wc -c <"$W/k34/$D/$f")
  if [ "$s30" = "$s34" ]; then ok "kmod34 $f: same size ($s34 bytes)"; else bad "kmod34 $f: $s34 bytes, kmod30 $s30"; fi
  # Offset 8 holds the root: right after the 12-byte header in kmod 34's layout.
  root=$(od -An -tx1 -j8 -N4 "$W/k34/$D/$f" | tr -d ' \n')
  case $root in ?000000c) ok "kmod34 $f: root node at offset 12" ;; *) bad "kmod34 $f: root word $root" ;; esac
done
for f in $texts; do
  if cmp -s "$W/k30/$D/$f" "$W/k34/$D/$f"; then ok "text file unchanged by the layout: $f"; else bad "$f differs between layouts"; fi
done
if [ -x "$KMOD_DEPMOD" ]; then
  "$KMOD_DEPMOD" -b "$W/kmod" "$MODS_KVER" 2>/dev/null
  for f in $bins; do
    if cmp -s "$W/kmod/$D/$f" "$W/k30/$D/$f"; then ok "kmod30 layout equals kmod's depmod: $f"; else bad "kmod30 layout differs from kmod's depmod: $f"; fi
  done
fi
if [ -x "$KMOD_MODPROBE" ]; then
  for q in mod_a mod_b mod_c mod_d mod_e test-alias-a fake_builtin; do
    a=$("$KMOD_MODPROBE" -d "$W/k30" -S "$MODS_KVER" --show-depends "$q" 2>&1 | sed "s|$W/k30||g")
    b=$("$KMOD_MODPROBE" -d "$W/k34" -S "$MODS_KVER" --show-depends "$q" 2>&1 | sed "s|$W/k34||g")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "kmod's modprobe reads both layouts alike: $q"; else bad "kmod's modprobe: $q: '$a' vs '$b'"; fi
  done
fi
"$DEPMOD" --index-layout=kmod99 -b "$W/k30" "$MODS_KVER" >"$W/bad.out" 2>&1
rc=$?
if [ $rc != 0 ] && grep -q "kmod99" "$W/bad.out"; then ok "--index-layout=kmod99 refused (exit $rc)"; else bad "--index-layout=kmod99: exit $rc"; fi
finish check-index-layout
