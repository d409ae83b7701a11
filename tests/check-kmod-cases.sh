#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The cases of kmod 34.2's testsuite that run depmod or modprobe (tag v34.2,
# read in the release's source, kmod_34.2.orig.tar.xz of Debian 13, sha256
# 012d16e2099115486d8aa9f2c2a23d058d3d0cad83113a60512647d25d3869e8, whose
# meson.build says version 34.2; the tag's commit id could not be had): all
# 38 of testsuite/test-depmod.c (11), test-modprobe.c (25) and
# test-weakdep.c (2), each re-created under kmod's case name on trees of our
# test modules, with the expected lines the case checks; some have variants.
# detect_loop is tests/check-cycles.sh, on kmod's loop graph.
#
# The reference run beside ours is kmod 34.2 itself (Debian 13's, which
# tests/fetch-kmod34.sh downloads once, about 6 MB); MNG_KMOD34_FETCH=0, or
# a failed download (said in the log), falls back to this machine's kmod,
# and where that one lacks a feature the case's expected lines decide alone.
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-kmod-cases
need_testmods
K34=
if [ "${MNG_KMOD34_FETCH:-1}" = 1 ]; then
  K34=$(sh tests/fetch-kmod34.sh) && KMOD_DEPMOD=$K34/depmod KMOD_MODPROBE=$K34/modprobe ||
    { K34=; echo "  kmod 34.2 could not be had: this machine's kmod is the reference"; }
fi
if [ ! -x "$KMOD_DEPMOD" ]; then echo "SKIP check-kmod-cases: no kmod depmod"; exit 0; fi
_from=
[ -n "$K34" ] && _from=" (Debian 13, $K34)"
echo "  reference: $("$KMOD_DEPMOD" -V 2>&1 | head -n 1)$_from"
mng_tmpdir W check-kmod-cases
K=$MODS_KVER
texts="modules.dep modules.alias modules.softdep modules.symbols modules.devname"
[ -n "$K34" ] && texts="$texts modules.weakdep"

# put ROOT DIR MOD...: copies modules into ROOT/lib/modules/K/DIR.
put() {
  _r=$1 _d=$2; shift 2
  mkdir -p "$_r/lib/modules/$K/$_d"
  for _m in "$@"; do cp "$MODS/$_m.ko" "$_r/lib/modules/$K/$_d/"; done
}
# same NAME SETUP ARGS... [-- LINE...]: SETUP ROOT builds a tree; both
# depmods run with -b ROOT ARGS K on their own copy; their text files, with
# ROOT written as /, must be equal, and ours' modules.dep must hold each LINE
# (the lines of kmod's correct-modules.dep).
same() {
  _n=$1 _s=$2; shift 2
  rm -rf "$W/k" "$W/o"
  $_s "$W/k"
  cp -a "$W/k" "$W/o"
  sed -i "s|$W/k|$W/o|g" "$W/o/depmod.conf" 2>/dev/null
  _a='' _lines=''
  for _x in "$@"; do
    if [ -n "$_lines" ]; then printf '%s\n' "$_x" >>"$W/want"; continue; fi
    [ "$_x" = -- ] && { _lines=1; : >"$W/want"; continue; }
    _a="$_a $_x"
  done
  # shellcheck disable=SC2086
  "$KMOD_DEPMOD" -b "$W/k" $_a "$K" 2>"$W/k.err"
  _kr=$?
  _a=$(echo " $_a " | sed "s|$W/k|$W/o|g")
  # shellcheck disable=SC2086
  "$DEPMOD" -b "$W/o" $_a "$K" 2>"$W/o.err"
  _or=$?
  _bad=
  for _f in $texts; do
    _kf=$(find "$W/k" -name "$_f" | head -n 1) _of=$(find "$W/o" -name "$_f" | head -n 1)
    if [ -z "$_kf" ] || [ -z "$_of" ]; then _bad="$_bad $_f"; continue; fi
    sed "s|$W/k/|/|g" "$_kf" >"$W/kt" && sed "s|$W/o/|/|g" "$_of" >"$W/ot"
    cmp -s "$W/kt" "$W/ot" || _bad="$_bad $_f"
    [ "$_f" = modules.dep ] && [ -n "$_lines" ] && while read -r _l; do grep -qxF "$_l" "$W/ot" || _bad="$_bad '$_l'"; done <"$W/want"
  done
  _shown=
  [ -n "$_lines" ] && _shown=", $(tr '\n' ' ' <"$W/want")"
  if [ -z "$_bad" ] && [ $_kr = $_or ]; then ok "$_n: as kmod's depmod (exit $_kr)$_shown"; else bad "$_n: differs from kmod:$_bad (exit $_kr/$_or)"; fi
}

# modules_order_for_compressed: modules compressed each its own way (gzip
# only where kmod reads it: neither Debian kmod does), listed in
# modules.order by their uncompressed names, between "#N" lines and with a
# blank line at the end; the aliases follow modules.order.
order_compressed() {
  put "$1" kernel mod_a mod_b mod_c mod_e
  if command -v zstd >/dev/null; then zstd -q --rm "$1/lib/modules/$K/kernel/mod_b.ko"; else xz "$1/lib/modules/$K/kernel/mod_b.ko"; fi
  xz "$1/lib/modules/$K/kernel/mod_c.ko"
  printf '#336\nkernel/mod_c.ko\n#2094\nkernel/mod_e.ko\nkernel/mod_b.ko\n#2137\nkernel/mod_a.ko\n\n' >"$1/lib/modules/$K/modules.order"
}
same depmod_modules_order_for_compressed order_compressed
_al=$(grep -v '^#' "$W/o/lib/modules/$K/modules.alias" | awk '{ print $NF }' | uniq | tr '\n' ' ')
if [ "$_al" = "mod_c mod_b mod_a " ]; then
  ok "depmod_modules_order_for_compressed: the aliases in modules.order's order ($_al)"
else
  bad "depmod_modules_order_for_compressed: aliases in the order $_al"
fi

# depmod_modules_outdir: --outdir /outdir/ puts the files under
# OUTDIR/lib/modules/K, equal to those a run without it writes (and to
# kmod 34.2's), and nothing beside the modules.
rm -rf "$W/d"
put "$W/d" kernel mod_a mod_b mod_c
[ -n "$K34" ] && cp -a "$W/d" "$W/dk" && "$KMOD_DEPMOD" -b "$W/dk" --outdir "$W/dk/outdir/" "$K" 2>/dev/null
"$DEPMOD" -b "$W/d" --outdir "$W/d/outdir/" "$K" 2>/dev/null
_o=$(find "$W/d/lib/modules/$K" -maxdepth 1 -name 'modules.*' | wc -l)
"$DEPMOD" -b "$W/d" "$K" 2>/dev/null
_bad=
for f in $texts modules.dep.bin modules.alias.bin; do
  cmp -s "$W/d/lib/modules/$K/$f" "$W/d/outdir/lib/modules/$K/$f" || _bad="$_bad $f"
  [ -z "$K34" ] || cmp -s "$W/dk/outdir/lib/modules/$K/$f" "$W/d/outdir/lib/modules/$K/$f" || case $f in *.bin) ;; *) _bad="$_bad kmod:$f" ;; esac
done
if [ -z "$_bad" ] && [ "$_o" = 0 ]; then ok "depmod_modules_outdir: the files under OUTDIR, nothing beside the modules"; else bad "depmod_modules_outdir:$_bad (files beside the modules: $_o)"; fi

# The search order of depmod.d: "built-in" stands for every directory no
# other word names, "external" for the external directories.
search_simple() {
  put "$1" kernel/crypto mod_a
  put "$1" kernel mod_b mod_c
  put "$1" updates mod_a
  printf 'search updates built-in\n' >"$1/depmod.conf"
}
same depmod_search_order_simple search_simple -C "$W/k/depmod.conf" -- "updates/mod_a.ko:"

# foo is a prefix of foobar: it must not take foobar's modules.
same_prefix() {
  put "$1" foo mod_a
  put "$1" foobar mod_a
  put "$1" kernel mod_b
  printf 'search foobar foo built-in\n' >"$1/depmod.conf"
}
same depmod_search_order_same_prefix same_prefix -C "$W/k/depmod.conf" -- "foobar/mod_a.ko:"

# An external directory outside the release's (listed in modules.dep by
# its full path) for the releases a regular expression matches.
kpat=$(echo "$K" | sed -E 's/^([0-9]+)\.([0-9]+)\..*/\1\\.\2\\..*/')
externals() {
  put "$1" foo mod_a
  put "$1" foobar mod_a
  put "$1" kernel mod_b
  mkdir -p "$1/lib/modules/external"
  cp "$MODS/mod_a.ko" "$1/lib/modules/external/"
  printf 'external %s %s\nsearch %s\n' "$kpat" "$1/lib/modules/external" "$2" >"$1/depmod.conf"
}
external_first() { externals "$1" "external foobar foo built-in"; }
same depmod_search_order_external_first external_first -C "$W/k/depmod.conf" -- "/lib/modules/external/mod_a.ko:"
external_last() { externals "$1" "foobar foo built-in external"; }
same depmod_search_order_external_last external_last -C "$W/k/depmod.conf" -- "foobar/mod_a.ko:"

# override names the module with a dash as its file (mod-d, module mod_d).
override() {
  put "$1" foo mod-d
  put "$1" override mod-d
  put "$1" kernel mod_a
  printf 'search foo built-in\noverride mod-d %s override\n' "$K" >"$1/depmod.conf"
}
same depmod_search_order_override override -C "$W/k/depmod.conf" -- "override/mod-d.ko:"

# depmod_another_moddir(_relative): -m DIR (kmod 34; kmod 30 ignores it),
# the modules under BASEDIR/DIR/K and no BASEDIR/lib/modules at all;
# modules.dep is written there, with paths relative to it.
for m in /foobar foobar2; do
  _n=depmod_another_moddir
  case $m in /*) ;; *) _n=${_n}_relative ;; esac
  rm -rf "$W/m" "$W/mk"
  mkdir -p "$W/m/${m#/}/$K/kernel"
  cp "$MODS/mod_a.ko" "$W/m/${m#/}/$K/kernel/"
  cp -a "$W/m" "$W/mk"
  "$DEPMOD" -b "$W/m" -m "$m" "$K" 2>/dev/null
  [ -n "$K34" ] && "$KMOD_DEPMOD" -b "$W/mk" -m "$m" "$K" 2>/dev/null
  if [ "$(cat "$W/m/${m#/}/$K/modules.dep" 2>/dev/null)" = "kernel/mod_a.ko:" ] && [ ! -e "$W/m/lib" ] &&
    { [ -z "$K34" ] || cmp -s "$W/mk/${m#/}/$K/modules.dep" "$W/m/${m#/}/$K/modules.dep"; }; then
    ok "$_n ($m): kernel/mod_a.ko: in BASEDIR/${m#/}/$K/modules.dep"
  else
    bad "$_n ($m): no such modules.dep under BASEDIR/${m#/}/$K"
  fi
done

# depmod_check_weakdep (kmod 33 and later): each weakdep= of a module's
# .modinfo as "weakdep MODULE VALUE", in module order, after kmod's comment
# line; mod_c declares weakdep=mod_e.  Against kmod 34.2 as well.
weak_tree() { put "$1" kernel mod_a mod_b mod_c mod_e; }
[ -n "$K34" ] && same "depmod_check_weakdep (all files)" weak_tree
rm -rf "$W/w"
weak_tree "$W/w"
"$DEPMOD" -b "$W/w" "$K" 2>/dev/null
if [ "$(sed -n 1p "$W/w/lib/modules/$K/modules.weakdep")" = "# Weak dependencies extracted from modules themselves." ] &&
  [ "$(grep -v '^#' "$W/w/lib/modules/$K/modules.weakdep")" = "weakdep mod_c mod_e" ]; then
  ok "depmod_check_weakdep: modules.weakdep holds kmod's comment and weakdep mod_c mod_e"
else
  bad "depmod_check_weakdep: modules.weakdep:"; cat "$W/w/lib/modules/$K/modules.weakdep"
fi
# modprobe's cases, as dry runs on one tree beside the reference's:
# show-depends, a built-in module, the softdep and install-command loops;
# the others in tests/kmod-modprobe-cases.sh.
if [ -x "$KMOD_MODPROBE" ]; then
  rm -rf "$W/p"
  put "$W/p" kernel mod_a mod_b mod_c mod-d mod_e
  printf 'kernel/fake_unix.ko\n' >"$W/p/lib/modules/$K/modules.builtin"
  "$DEPMOD" -b "$W/p" "$K" 2>/dev/null
  # kmod's softdep loop: mod_b needs mod_a, and mod_a wants mod_b after it.
  printf 'softdep mod_a post: mod_b\n' >"$W/softdep.conf"
  # Another: two modules each wanting the other first.
  printf 'softdep mod_a pre: mod_e\nsoftdep mod_e pre: mod_a\n' >"$W/softdep2.conf"
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
  # want NAME RC LINE...: the last mp's output of ours is exactly the lines
  # (kmod's correct.txt; none: empty) and its exit RC.
  want() {
    _n=$1 _w=$2; shift 2
    if [ $# = 0 ]; then : >"$W/want"; else printf '%s\n' "$@" >"$W/want"; fi
    if cmp -s "$W/want" "$W/omp" && [ "$_or" = "$_w" ]; then
      ok "$_n: kmod's expected output ($# lines, exit $_w)"
    else
      bad "$_n: not kmod's expected output (exit $_or)"; diff "$W/want" "$W/omp" | head -n 6
    fi
  }
  km=/lib/modules/$K/kernel
  mp modprobe_show_depends /dev/null --show-depends mod-e
  want modprobe_show_depends 0 "insmod $km/mod_a.ko " "insmod $km/mod_b.ko " "insmod $km/mod-d.ko " "insmod $km/mod_e.ko "
  mp modprobe_show_depends2 /dev/null --show-depends mod_a
  want modprobe_show_depends2 0 "insmod $km/mod_a.ko "
  mp "modprobe_show_depends2 (softdeps)" /dev/null --show-depends mod_c
  mp modprobe_builtin /dev/null -n -v fake_unix
  mp "modprobe_builtin (show-depends)" /dev/null --show-depends fake_unix
  # (A dry run loads nothing, so mod_a is shown again for mod_b; the loads
  # are in tests/kmod-modprobe-cases.sh.)
  mp modprobe_softdep_loop "$W/softdep.conf" -n -v mod_a
  mp "modprobe_softdep_loop (pre loop)" "$W/softdep2.conf" -n -v mod_a
  mp "modprobe_install_cmd_loop (dry run)" "$W/install.conf" -n -v mod_a
  . tests/kmod-modprobe-cases.sh
fi
finish check-kmod-cases
