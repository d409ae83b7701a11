#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The scenarios of kmod's own depmod and modprobe testsuites, re-created on trees of our
# test modules: one line per case.  Where Debian's kmod depmod has the
# feature, both depmods run on copies of the same tree and every text file
# must be equal; otherwise the expected file follows from the rule the case
# checks.  (detect_loop is tests/check-cycles.sh, on kmod's loop graph.)
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-kmod-cases
need_testmods
if [ ! -x "$KMOD_DEPMOD" ]; then echo "SKIP check-kmod-cases: no kmod depmod"; exit 0; fi
mng_tmpdir W check-kmod-cases
K=$MODS_KVER
texts="modules.dep modules.alias modules.softdep modules.symbols modules.devname"

# put ROOT DIR MOD...: copies modules into ROOT/lib/modules/K/DIR.
put() {
  _r=$1 _d=$2; shift 2
  mkdir -p "$_r/lib/modules/$K/$_d"
  for _m in "$@"; do cp "$MODS/$_m.ko" "$_r/lib/modules/$K/$_d/"; done
}
# same NAME SETUP ARGS...: SETUP ROOT builds a tree; both depmods run with
# -b ROOT ARGS K on their own copy; their text files must be equal.
same() {
  _n=$1 _s=$2; shift 2
  rm -rf "$W/k" "$W/o"
  $_s "$W/k"
  cp -a "$W/k" "$W/o"
  sed -i "s|$W/k|$W/o|g" "$W/o/depmod.conf" 2>/dev/null
  "$KMOD_DEPMOD" -b "$W/k" "$@" "$K" 2>"$W/k.err"
  _kr=$?
  _a=$(echo " $* " | sed "s|$W/k|$W/o|g")
  # shellcheck disable=SC2086
  "$DEPMOD" -b "$W/o" $_a "$K" 2>"$W/o.err"
  _or=$?
  _bad=
  for _f in $texts; do
    _kf=$(find "$W/k" -name "$_f" | head -n 1) _of=$(find "$W/o" -name "$_f" | head -n 1)
    [ -n "$_kf" ] && [ -n "$_of" ] && cmp -s "$_kf" "$_of" || _bad="$_bad $_f"
  done
  if [ -z "$_bad" ] && [ $_kr = $_or ]; then ok "$_n: as kmod's depmod (exit $_kr)"; else bad "$_n: differs from kmod:$_bad (exit $_kr/$_or)"; fi
}

order_compressed() {
  put "$1" kernel mod_a mod_b mod_c mod_e
  if command -v zstd >/dev/null; then zstd -q --rm "$1/lib/modules/$K/kernel/mod_b.ko"; else xz "$1/lib/modules/$K/kernel/mod_b.ko"; fi
  xz "$1/lib/modules/$K/kernel/mod_c.ko"
  printf 'kernel/mod_c.ko\nkernel/mod_e.ko\nkernel/mod_b.ko\nkernel/mod_a.ko\n' >"$1/lib/modules/$K/modules.order"
}
same modules_order_for_compressed order_compressed

# -o (kmod 30 has none): the files under OUTDIR/lib/modules/K equal those a
# run without -o writes, and nothing is written beside the modules.
rm -rf "$W/d"
put "$W/d" kernel mod_a mod_b mod_c
"$DEPMOD" -b "$W/d" -o "$W/d/outdir/" "$K" 2>/dev/null
_o=$(ls "$W/d/lib/modules/$K" | grep -c '^modules\.')
"$DEPMOD" -b "$W/d" "$K" 2>/dev/null
_bad=
for f in $texts modules.dep.bin modules.alias.bin; do cmp -s "$W/d/lib/modules/$K/$f" "$W/d/outdir/lib/modules/$K/$f" || _bad="$_bad $f"; done
if [ -z "$_bad" ] && [ "$_o" = 0 ]; then ok "modules_outdir: the files under OUTDIR, nothing beside the modules"; else bad "modules_outdir:$_bad (files beside the modules: $_o)"; fi

search_simple() {
  put "$1" kernel mod_a mod_b mod_c
  put "$1" updates mod_a
  printf 'search updates kernel\n' >"$1/depmod.conf"
}
same search_order_simple search_simple -C "$W/k/depmod.conf"

same_prefix() {
  put "$1" foo mod_a mod_b
  put "$1" foobar mod_a mod_c
  printf 'search foo foobar\n' >"$1/depmod.conf"
}
same search_order_same_prefix same_prefix -C "$W/k/depmod.conf"

external_first() {
  put "$1" kernel mod_a mod_b mod_c
  put "$1" extra mod_a
  printf 'search external kernel\nexternal %s %s\n' "$K" "$1/lib/modules/$K/extra" >"$1/depmod.conf"
}
same search_order_external_first external_first -C "$W/k/depmod.conf"

external_last() {
  put "$1" kernel mod_a mod_b mod_c
  put "$1" extra mod_a
  printf 'search kernel external\nexternal %s %s\n' "$K" "$1/lib/modules/$K/extra" >"$1/depmod.conf"
}
same search_order_external_last external_last -C "$W/k/depmod.conf"

override() {
  put "$1" kernel mod_a mod_b mod_c
  put "$1" updates mod_a
  printf 'search kernel updates\noverride mod_a %s updates\n' "$K" >"$1/depmod.conf"
}
same search_order_override override -C "$W/k/depmod.conf"

# -m DIR (kmod 34; kmod 30 ignores it): the tree under BASEDIR/DIR, absolute
# or not, and a modules.dep equal to the one of the usual place.
for m in /foobar foobar2; do
  rm -rf "$W/m"
  put "$W/m" kernel mod_a mod_b mod_c
  "$DEPMOD" -b "$W/m" "$K" 2>/dev/null
  mkdir -p "$W/m/${m#/}"
  cp -a "$W/m/lib/modules/$K" "$W/m/${m#/}/"
  rm -f "$W/m/${m#/}/$K/modules.dep"
  "$DEPMOD" -b "$W/m" -m "$m" "$K" 2>/dev/null
  if cmp -s "$W/m/lib/modules/$K/modules.dep" "$W/m/${m#/}/$K/modules.dep"; then
    ok "another_moddir ($m): modules.dep written under BASEDIR/${m#/}/$K"
  else
    bad "another_moddir ($m): no matching modules.dep under BASEDIR/${m#/}/$K"
  fi
done
# check_weakdep (kmod 33 and later; kmod 30 writes no modules.weakdep):
# each weakdep= of a module's .modinfo as "weakdep MODULE VALUE", in module
# order, after kmod's comment line; mod_c declares weakdep=mod_e.
rm -rf "$W/w"
put "$W/w" kernel mod_a mod_b mod_c mod_e
"$DEPMOD" -b "$W/w" "$K" 2>/dev/null
if [ "$(sed -n 1p "$W/w/lib/modules/$K/modules.weakdep")" = "# Weak dependencies extracted from modules themselves." ] &&
  [ "$(grep -v '^#' "$W/w/lib/modules/$K/modules.weakdep")" = "weakdep mod_c mod_e" ]; then
  ok "check_weakdep: modules.weakdep holds kmod's comment and weakdep mod_c mod_e"
else
  bad "check_weakdep: modules.weakdep:"; cat "$W/w/lib/modules/$K/modules.weakdep"
fi
# modprobe's cases, as dry runs on one tree against kmod's modprobe:
# show-depends, a built-in module, a softdep loop, an install-command loop;
# the others (exports, -R, --force*, weakdeps, another release, external
# directories, paths, the kernel command line) in tests/kmod-modprobe-cases.sh.
if [ -x "$KMOD_MODPROBE" ]; then
  rm -rf "$W/p"
  put "$W/p" kernel mod_a mod_b mod_c mod-d mod_e
  printf 'kernel/fake_unix.ko\n' >"$W/p/lib/modules/$K/modules.builtin"
  "$DEPMOD" -b "$W/p" "$K" 2>/dev/null
  printf 'softdep mod_a pre: mod_e\nsoftdep mod_e pre: mod_a\n' >"$W/softdep.conf"
  printf 'install mod_a modprobe mod_b\ninstall mod_b modprobe mod_a\n' >"$W/install.conf"
  # mp NAME CONF ARGS...: both modprobes on the tree; outputs and exit alike.
  # The tree is $T (default $W/p), its release $TK (default K).
  mp() {
    _n=$1 _c=$2; shift 2
    _t=${T:-$W/p} _k=${TK:-$K}
    timeout 10 "$KMOD_MODPROBE" -C "$_c" -d "$_t" -S "$_k" "$@" 2>&1 | head -c 100000 | sed "s|$_t||g" >"$W/kmp"
    timeout 10 "$MODPROBE" -C "$_c" -d "$_t" -S "$_k" "$@" 2>&1 | head -c 100000 | sed "s|$_t||g" >"$W/omp"
    _kr=$(timeout 10 "$KMOD_MODPROBE" -C "$_c" -d "$_t" -S "$_k" "$@" >/dev/null 2>&1; echo $?)
    _or=$(timeout 10 "$MODPROBE" -C "$_c" -d "$_t" -S "$_k" "$@" >/dev/null 2>&1; echo $?)
    if cmp -s "$W/kmp" "$W/omp" && [ "$_kr" = "$_or" ]; then
      ok "$_n: as kmod's modprobe ($(wc -l <"$W/kmp") lines, exit $_kr)"
    else
      bad "$_n: differs from kmod's modprobe (exit $_kr/$_or)"; diff "$W/kmp" "$W/omp" | head -n 8
    fi
  }
  mp modprobe_show_depends /dev/null --show-depends mod_e
  mp modprobe_show_depends2 /dev/null --show-depends mod_c
  mp modprobe_builtin /dev/null -n -v fake_unix
  mp modprobe_builtin_show_depends /dev/null --show-depends fake_unix
  mp modprobe_softdep_loop "$W/softdep.conf" -n -v mod_a
  mp modprobe_install_cmd_loop "$W/install.conf" -n -v mod_a
  . tests/kmod-modprobe-cases.sh
fi
finish check-kmod-cases
