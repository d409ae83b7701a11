#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod --index-layout=kmod34 against the real kmod 34.2 (Debian 13's,
# fetched by tests/fetch-kmod34.sh and run through its own ld.so): on the
# test modules and on Debian's amd64 and armmp trees, every file both
# write must be byte-identical, and both must write the same set of
# files (our modules.cache aside).  kmod 34.2's modprobe must then read
# our default (kmod 30) layout to the same answers as its own files, and
# its cycle reports must be ours (tests/check-cycles.sh with kmod 34.2 as
# the reference).  In the long set: about 90 seconds.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-kmod34
need_testmods
K=$(sh tests/fetch-kmod34.sh) || { echo "FAIL cannot fetch Debian 13's kmod (tests/fetch-kmod34.sh)"; exit 1; }
K34_DEPMOD=$K/depmod K34_MODPROBE=$K/modprobe
mng_tmpdir W check-kmod34

# outputs DIR: the modules.* files in DIR that depmod wrote.
outputs() { (cd "$1" && for f in modules.*; do is_depmod_input "$f" || [ "$f" = modules.cache ] || echo "$f"; done); }

# compare NAME SRC_DIR KVER [DEPMOD ARGS]: both depmods on copies of SRC_DIR.
compare() {
  _n=$1 _src=$2 _kv=$3
  shift 3
  inputs_only "$_src" "$W/$_n-kmod/lib/modules/$_kv"
  inputs_only "$_src" "$W/$_n-ours/lib/modules/$_kv"
  "$K34_DEPMOD" "$@" -b "$W/$_n-kmod" "$_kv" >"$W/$_n-kmod.err" 2>&1
  _rk=$?
  "$DEPMOD" --index-layout=kmod34 "$@" -b "$W/$_n-ours" "$_kv" >"$W/$_n-ours.err" 2>&1
  _ro=$?
  [ "$_rk" = "$_ro" ] && ok "$_n: both exit $_rk" || bad "$_n: kmod 34.2 exit $_rk, ours $_ro"
  _dk=$W/$_n-kmod/lib/modules/$_kv _do=$W/$_n-ours/lib/modules/$_kv
  _fk=$(outputs "$_dk" | tr '\n' ' ') _fo=$(outputs "$_do" | tr '\n' ' ')
  [ "$_fk" = "$_fo" ] && ok "$_n: the same files ($_fk)" || bad "$_n: kmod 34.2 wrote $_fk; ours $_fo"
  for _f in $_fk; do
    if cmp -s "$_dk/$_f" "$_do/$_f"; then
      ok "$_n: $_f byte-identical"
    else
      bad "$_n: $_f differs ($(wc -c <"$_dk/$_f") bytes from kmod 34.2, $(wc -c <"$_do/$_f" 2>/dev/null) ours)"
    fi
  done
}

# The test modules: dependencies, aliases, softdeps, weakdeps, devnames;
# then with the two that depend on each other, which both must refuse
# with the same messages.
T=$W/testmods/lib/modules/$MODS_KVER
mkdir -p "$T/kernel" "$T/updates"
cp "$MODS"/*.ko "$T/kernel/"
mkdir -p "$W/loops"
mv "$T"/kernel/loop_*.ko "$W/loops/"
ls "$T/kernel" | sed 's|^|kernel/|' >"$T/modules.order"
cp "$MODS/mod_c.ko" "$T/updates/"
printf 'kernel/fake_builtin.ko\nkernel/drivers/other_builtin.ko\n' >"$T/modules.builtin"
printf 'fake_builtin.alias=fake-builtin-alias\0fake_builtin.license=GPL\0' >"$T/modules.builtin.modinfo"
compare testmods "$T" "$MODS_KVER"
cp "$W"/loops/*.ko "$T/kernel/"
compare cycle "$T" "$MODS_KVER"
if [ "$_rk" = 1 ] && diff "$W/cycle-kmod.err" "$W/cycle-ours.err" >"$W/cycle.diff"; then
  ok "cycle: the same messages ($(grep -c . "$W/cycle-ours.err") lines)"
else
  bad "cycle: exit $_rk, messages differ: $(head -c 600 "$W/cycle.diff")"
fi

for arch in armhf amd64; do
  debian_tree "$arch" check-kmod34
  compare "debian-$arch" "$DEB_TREE" "$DEB_KVER"
done

# kmod 34.2's modprobe on our default layout (kmod 30's node order), amd64.
inputs_only "$DEB_TREE" "$W/k30/lib/modules/$DEB_KVER"
"$DEPMOD" -b "$W/k30" "$DEB_KVER" >/dev/null 2>&1 || bad "depmod (default layout) on amd64 failed"
for q in snd_hda_intel ext4 xfs "pci:v00008086d00001572sv*sd*bc*sc*i*" "usb:v067Bp2303d0300dc00dsc00dp00icFFiscFFipFFin00" nosuchmodule; do
  a=$("$K34_MODPROBE" -d "$W/debian-amd64-kmod" -S "$DEB_KVER" --show-depends "$q" 2>&1 | sed "s|$W/debian-amd64-kmod||g" | bounded)
  b=$("$K34_MODPROBE" -d "$W/k30" -S "$DEB_KVER" --show-depends "$q" 2>&1 | sed "s|$W/k30||g" | bounded)
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "kmod 34.2's modprobe reads the kmod30 layout alike: $q"; else bad "kmod 34.2's modprobe: $q: '$a' vs '$b'"; fi
done
# The cycle report (tests/check-cycles.sh's graphs) against kmod 34.2.
if KMOD_DEPMOD=$K34_DEPMOD sh tests/check-cycles.sh >"$W/cycles.log" 2>&1; then
  ok "cycle reports as kmod 34.2's: $(tail -n 1 "$W/cycles.log")"
else
  bad "cycle reports differ from kmod 34.2's:"; grep FAIL "$W/cycles.log" | head -n 10
fi
finish check-kmod34
