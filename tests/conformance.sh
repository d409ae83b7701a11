#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Conformance of our depmod with Debian's kmod depmod (the reference).
#
# Both tools run on separate copies of the same module trees and their
# outputs are compared file by file:
#   - Debian's linux-image-amd64 and linux-image-armmp (armhf) trees
#     (unpacked by tests/fetch-images.sh),
#   - a small tree built from the test modules ($B/testmods) with xz/zstd
#     compressed modules, a partial modules.order, an updates/ override and
#     no modules.builtin,
#   - ours only: the small tree with one module gzip-compressed (Debian's
#     kmod is built without zlib and ignores .ko.gz),
#   - both: a tree with a dependency cycle, which must fail and leave
#     existing output files untouched.
#
# Text files must be byte-identical; modules.symbols may differ in order
# only (its order is a hash order).  .bin indexes must be byte-identical or
# hold the same keys/values/priorities (tests/index_dump.cc): kmod 30 writes
# post-order, newer layouts are pre-order, and readers only follow offsets.
#
# Environment:
#   B                 build dir (default build)
#   DEPMOD            our depmod (default $B/depmod)
#   KMOD_DEPMOD       reference (default /usr/sbin/depmod)
#   MNG_REQUIRE_BIN   1 (default): a missing .bin of ours fails;
#                     0: it is reported as SKIP (never counted as passed)
#   MNG_STRICT_BIN    1: .bin files must be byte-identical (default 0)
#   MNG_ARCHES        Debian trees to compare (default "amd64 armhf"; empty: none)
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MNG_REQUIRE_BIN=${MNG_REQUIRE_BIN:-1}
MNG_STRICT_BIN=${MNG_STRICT_BIN:-0}
MNG_ARCHES=${MNG_ARCHES-amd64 armhf}
W=$BABS/conformance

TEXT_FILES="modules.dep modules.alias modules.softdep modules.devname"
BIN_FILES="modules.dep.bin modules.alias.bin modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin"
# Inputs that a module directory may hold; every other modules.* is output.
INPUT_FILES="modules.order modules.builtin modules.builtin.modinfo"

n_skip=0  # ok, bad and their counts come from tests/lib.sh
skip() { n_skip=$((n_skip + 1)); echo "  SKIP  $* -- NOT CHECKED, NOT A PASS"; }
indent() { sed 's/^/        /'; }
# First lines of a unified diff, kmod's file first.
diff_excerpt() { diff -u "$1" "$2" | head -n 20 | indent; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# copy_tree SRC_ROOT DST_ROOT KVER: module files are hardlinked (they are
# only read); inputs are copied; existing outputs are left out, so every
# output file in the copy is new and cannot alias the source or the other copy.
copy_tree() {
  local src=$1/lib/modules/$3 dst=$2/lib/modules/$3 e name
  mkdir -p "$dst"
  for e in "$src"/* "$src"/.[!.]*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    name=$(basename "$e")
    case " $INPUT_FILES " in *" $name "*) cp -p "$e" "$dst/"; continue ;; esac
    case $name in modules.*) continue ;; esac
    cp -al "$e" "$dst/"
  done
}

# run_both ROOT_KMOD ROOT_OURS KVER: runs the two tools in parallel; leaves
# exit codes in rc_kmod/rc_ours, stderr in ROOT.err, times in ms.
run_both() {
  local who bin root
  for who in kmod ours; do
    if [ $who = kmod ]; then bin=$KMOD_DEPMOD root=$1; else bin=$DEPMOD root=$2; fi
    (
      t0=$(now_ms)
      "$bin" -b "$root" "$3" >"$root.out" 2>"$root.err"
      echo $? >"$root.rc"
      echo $(( $(now_ms) - t0 )) >"$root.ms"
    ) &
  done
  wait
  rc_kmod=$(cat "$1.rc") rc_ours=$(cat "$2.rc")
  echo "  kmod depmod: exit $rc_kmod, $(cat "$1.ms") ms; ours: exit $rc_ours, $(cat "$2.ms") ms"
}

# Notes (not failures) when the warnings differ; paths are made comparable.
compare_stderr() {
  sed "s|$1|ROOT|g" "$1.err" >"$1.err.norm"
  sed "s|$2|ROOT|g" "$2.err" >"$2.err.norm"
  if ! cmp -s "$1.err.norm" "$2.err.norm"; then
    echo "  note  stderr differs from kmod's (not counted):"
    diff_excerpt "$1.err.norm" "$2.err.norm"
  fi
}

compare_text() {
  local k=$1/$3 o=$2/$3
  if [ ! -f "$o" ]; then bad "$4$3: ours missing"; return; fi
  if cmp -s "$k" "$o"; then ok "$4$3"; return; fi
  bad "$4$3 differs"
  diff_excerpt "$k" "$o"
}

compare_symbols() {
  local k=$1/modules.symbols o=$2/modules.symbols
  if [ ! -f "$o" ]; then bad "${3}modules.symbols: ours missing"; return; fi
  if cmp -s "$k" "$o"; then ok "${3}modules.symbols (byte-identical)"; return; fi
  LC_ALL=C sort "$k" >"$k.sorted"
  LC_ALL=C sort "$o" >"$o.sorted"
  if cmp -s "$k.sorted" "$o.sorted" && [ "$(head -n 1 "$k")" = "$(head -n 1 "$o")" ]; then
    ok "${3}modules.symbols (same lines, different order; compared sorted)"
    return
  fi
  bad "${3}modules.symbols differs (even sorted)"
  diff_excerpt "$k.sorted" "$o.sorted"
}

compare_bin() {
  local k=$1/$3 o=$2/$3
  if [ ! -f "$o" ]; then
    if [ "$MNG_REQUIRE_BIN" = 1 ]; then
      bad "$4$3: ours missing (set MNG_REQUIRE_BIN=0 to skip)"
    else
      skip "$4$3: ours missing"
    fi
    return
  fi
  if [ ! -f "$k" ]; then bad "$4$3: kmod wrote none (test setup?)"; return; fi
  if cmp -s "$k" "$o"; then ok "$4$3 (byte-identical)"; return; fi
  if [ "$MNG_STRICT_BIN" = 1 ]; then bad "$4$3: bytes differ (MNG_STRICT_BIN=1)"; return; fi
  if ! "$DUMP" "$k" >"$k.dump" 2>"$k.dump.err"; then
    bad "$4$3: cannot dump kmod's index: $(cat "$k.dump.err")"; return
  fi
  if ! "$DUMP" "$o" >"$o.dump" 2>"$o.dump.err"; then
    bad "$4$3: ours is malformed: $(cat "$o.dump.err")"; return
  fi
  if cmp -s "$k.dump" "$o.dump"; then
    ok "$4$3 (same keys/values/priorities, byte layout differs)"
    return
  fi
  bad "$4$3: content differs (dump: key TAB priority TAB value)"
  diff_excerpt "$k.dump" "$o.dump"
}

# Names of the files each tool left in its module dir must agree (no
# temporary files left behind, nothing missing).  .bin files are checked
# one by one below; modules.weakdep is only written by kmod >= 33, and
# modules.cache (our cache of module facts) only by ours.
compare_file_sets() {
  local filt='^modules\.weakdep$|^modules\.cache$|\.bin$'
  (cd "$1" && ls -A) | grep -Ev "$filt" >"$1.files"
  (cd "$2" && ls -A) | grep -Ev "$filt" >"$2.files"
  if cmp -s "$1.files" "$2.files"; then ok "${3}file set"; else
    bad "${3}file set differs"
    diff_excerpt "$1.files" "$2.files"
  fi
}

# kmod 30 predates modules.weakdep (kmod 33), so ours is checked against
# what kmod's modinfo reads from the modules, in kmod's module order.
# Absent is acceptable (kmod 30 writes none).
compare_weakdep() {
  local kd=$1 od=$2 exp=$2.weakdep.expected
  if [ ! -f "$od/modules.weakdep" ]; then echo "  note  ours wrote no modules.weakdep (nor does kmod 30)"; return; fi
  # Candidates: uncompressed modules mentioning weakdep=, and all compressed ones.
  { (cd "$kd" && grep -rla --include='*.ko' 'weakdep=' . ; find . -name '*.ko.*') | sed 's|^\./||'; } >"$exp.cand"
  echo "# Weak dependencies extracted from modules themselves." >"$exp"
  awk 'NR == FNR { c[$0] = 1; next } { sub(/:.*/, "") } $0 in c' "$exp.cand" "$kd/modules.dep" |
    while read -r p; do
      name=$(basename "$p" | sed 's/\.ko.*//' | tr - _)
      "$KMOD_MODINFO" -F weakdep "$kd/$p" | while read -r v; do echo "weakdep $name $v"; done
    done >>"$exp"
  if cmp -s "$exp" "$od/modules.weakdep"; then
    ok "modules.weakdep ($(($(wc -l <"$exp") - 1)) entries, expected from kmod's modinfo)"
  else
    bad "modules.weakdep differs from what kmod's modinfo reports"
    diff_excerpt "$exp" "$od/modules.weakdep"
  fi
}

compare_outputs() {
  local kd=$1/lib/modules/$3 od=$2/lib/modules/$3 label=${4:-} f
  compare_file_sets "$kd" "$od" "$label"
  for f in $TEXT_FILES; do compare_text "$kd" "$od" "$f" "$label"; done
  compare_symbols "$kd" "$od" "$label"
  compare_weakdep "$kd" "$od"
  for f in $BIN_FILES; do compare_bin "$kd" "$od" "$f" "$label"; done
}

# kmod_modprobe_agrees ROOT_KMOD ROOT_OURS KVER: Debian's kmod modprobe,
# reading our indexes, answers as it does with kmod's own: the -c dump,
# --show-depends for every module name, -R for a sample of aliases (every
# 5th line of modules.alias) and for every symbol.
kmod_modprobe_agrees() {
  local rk=$1 ro=$2 kver=$3 kd=$1/lib/modules/$3 q side root
  [ -x "$KMOD_MODPROBE" ] || { bad "$kver: $KMOD_MODPROBE missing"; return; }
  awk '{ print $1 }' "$kd/modules.dep" | sed 's|.*/||; s|\.ko.*||; s|:$||' >"$rk.q-names"
  awk 'NR % 5 == 2 { print $2 }' "$kd/modules.alias" >"$rk.q-aliases"
  awk 'NR > 1 { print $2 }' "$kd/modules.symbols" >"$rk.q-symbols"
  for q in c names aliases symbols; do
    for side in kmod ours; do
      if [ $side = kmod ]; then root=$rk; else root=$ro; fi
      case $q in
        c) "$KMOD_MODPROBE" -d "$root" -S "$kver" -c >"$root.mp-$q" 2>&1 ;;
        names) xargs "$KMOD_MODPROBE" -d "$root" -S "$kver" -a -D <"$rk.q-names" >"$root.mp-$q" 2>&1 ;;
        *) xargs "$KMOD_MODPROBE" -d "$root" -S "$kver" -a -R <"$rk.q-$q" >"$root.mp-$q" 2>&1 ;;
      esac
      sed -i "s|$root|ROOT|g" "$root.mp-$q"
    done
    if [ -s "$rk.mp-$q" ] && cmp -s "$rk.mp-$q" "$ro.mp-$q"; then
      ok "kmod modprobe on our indexes: $q ($(wc -l <"$rk.mp-$q") lines)"
    else
      bad "kmod modprobe on our indexes: $q differs"
      diff_excerpt "$rk.mp-$q" "$ro.mp-$q"
    fi
  done
}

# check_tree NAME SRC_ROOT KVER: copies, runs both tools, compares.
check_tree() {
  local name=$1 src=$2 kver=$3 nmods rk ro
  nmods=$(find "$src/lib/modules/$kver" -name '*.ko*' | wc -l)
  echo "== $name: $kver ($nmods modules)"
  rk=$W/$name/kmod ro=$W/$name/ours
  copy_tree "$src" "$rk" "$kver"
  copy_tree "$src" "$ro" "$kver"
  run_both "$rk" "$ro" "$kver"
  if [ "$rc_kmod" != 0 ]; then
    bad "$name: kmod's depmod failed (exit $rc_kmod)"; indent <"$rk.err"; return
  fi
  if [ "$rc_ours" != 0 ]; then
    bad "$name: our depmod failed (exit $rc_ours)"; head -n 20 "$ro.err" | indent; return
  fi
  compare_stderr "$rk" "$ro"
  compare_outputs "$rk" "$ro" "$kver"
  kmod_modprobe_agrees "$rk" "$ro" "$kver"
}

# --- the small tree from the test modules -----------------------------------

# build_small ROOT KVER GZ: GZ=1 stores mod_e gzip-compressed instead of plain.
build_small() {
  local m=$BABS/testmods d=$1/lib/modules/$2
  mkdir -p "$d/kernel/lib" "$d/kernel/drivers/misc" "$d/kernel/drivers/char" \
    "$d/kernel/fs/mngfs" "$d/kernel/misc" "$d/updates" "$d/extra"
  cp "$m/mod_a.ko" "$d/kernel/lib/"
  zstd -q -c "$m/mod_b.ko" >"$d/kernel/drivers/misc/mod_b.ko.zst"
  xz --check=crc32 -c "$m/mod_c.ko" >"$d/kernel/fs/mngfs/mod_c.ko.xz"
  cp "$m/mod-d.ko" "$d/kernel/drivers/char/"
  if [ "$3" = 1 ]; then
    gzip -9 -n -c "$m/mod_e.ko" >"$d/kernel/drivers/misc/mod_e.ko.gz"
  else
    cp "$m/mod_e.ko" "$d/kernel/drivers/misc/"
  fi
  # Same module twice: the updates/ copy must win.
  cp "$m/boot_one.ko" "$d/kernel/misc/"
  cp "$m/boot_one.ko" "$d/updates/"
  # Same module in extra/ and (compressed) in kernel/.
  cp "$m/boot_two.ko" "$d/extra/"
  xz --check=crc32 -c "$m/boot_two.ko" >"$d/kernel/misc/boot_two.ko.xz"
  cp "$m/fail_init.ko" "$d/kernel/misc/"
  # Partial order, listed uncompressed as the kernel build writes it; the
  # modules not listed follow in kmod's hash order.
  printf '%s\n' kernel/drivers/char/mod-d.ko kernel/fs/mngfs/mod_c.ko \
    kernel/lib/mod_a.ko kernel/drivers/misc/mod_b.ko >"$d/modules.order"
}

check_small() {
  build_small "$W/testmods-src" "$1" 0
  check_tree testmods "$W/testmods-src" "$1"
}

# Ours must index a gzip module; apart from that one path its modules.dep
# must be kmod's modules.dep of the plain small tree.
check_gzip() {
  local kver=$1 r=$W/gzip/ours rc dep ref
  echo "== gzip (ours only): $kver"
  build_small "$r" "$kver" 1
  "$DEPMOD" -b "$r" "$kver" >"$r.out" 2>"$r.err"
  rc=$?
  if [ $rc != 0 ]; then bad "gzip: our depmod failed (exit $rc)"; head -n 20 "$r.err" | indent; return; fi
  dep=$r/lib/modules/$kver/modules.dep
  if grep -q '^kernel/drivers/misc/mod_e\.ko\.gz:' "$dep" 2>/dev/null; then
    ok "gzip: modules.dep has kernel/drivers/misc/mod_e.ko.gz"
  else
    bad "gzip: kernel/drivers/misc/mod_e.ko.gz not in modules.dep"; return
  fi
  ref=$W/testmods/kmod/lib/modules/$kver/modules.dep
  if [ ! -f "$ref" ]; then bad "gzip: no kmod reference modules.dep from the testmods tree"; return; fi
  sed 's|kernel/drivers/misc/mod_e\.ko\([: ]\)|kernel/drivers/misc/mod_e.ko.gz\1|g; s|kernel/drivers/misc/mod_e\.ko$|kernel/drivers/misc/mod_e.ko.gz|' \
    "$ref" >"$r.expected"
  if cmp -s "$r.expected" "$dep"; then
    ok "gzip: modules.dep equals kmod's for the plain tree (with .gz path)"
  else
    bad "gzip: modules.dep differs from kmod's plain-tree result"
    diff_excerpt "$r.expected" "$dep"
  fi
}

# A dependency cycle: exit non-zero, both modules named, nothing written.
check_cycle_one() {
  local who=$1 bin=$2 kver=$3 r=$W/cycle/$1 rc
  local m=$BABS/testmods d=$r/lib/modules/$3
  mkdir -p "$d/kernel/lib" "$d/kernel/loop"
  cp "$m/mod_a.ko" "$m/mod_b.ko" "$d/kernel/lib/"
  cp "$m/loop_x.ko" "$m/loop_y.ko" "$d/kernel/loop/"
  printf '# written before the cycle appeared\nkernel/lib/mod_a.ko:\n' >"$d/modules.dep"
  printf 'not an index\n' >"$d/modules.dep.bin"
  touch -d '2020-01-01 00:00:00' "$d/modules.dep" "$d/modules.dep.bin"
  cp -p "$d/modules.dep" "$r.dep.before"
  (cd "$d" && ls -lA --time-style=+%s | grep -v '^total' | grep -v ' kernel$') >"$r.ls.before"
  "$bin" -b "$r" "$kver" >"$r.out" 2>"$r.err"
  rc=$?
  (cd "$d" && ls -lA --time-style=+%s | grep -v '^total' | grep -v ' kernel$') >"$r.ls.after"
  if [ $rc = 0 ]; then bad "cycle ($who): exit status 0"; else ok "cycle ($who): exit $rc"; fi
  if grep -q loop_x "$r.err" && grep -q loop_y "$r.err"; then
    ok "cycle ($who): stderr names loop_x and loop_y"
  else
    bad "cycle ($who): stderr does not name both loop_x and loop_y:"; head -n 10 "$r.err" | indent
  fi
  if cmp -s "$r.dep.before" "$d/modules.dep" && cmp -s "$r.ls.before" "$r.ls.after"; then
    ok "cycle ($who): existing files untouched, nothing new written"
  else
    bad "cycle ($who): module dir changed"
    diff_excerpt "$r.ls.before" "$r.ls.after"
  fi
}

# --- main ---------------------------------------------------------------------

t_start=$(now_ms)
echo "conformance: ours=$DEPMOD reference=$KMOD_DEPMOD"
if [ ! -x "$DEPMOD" ]; then
  echo "conformance: $DEPMOD not built (make, or set DEPMOD)" >&2
  exit 1
fi
rm -rf "$W"
mkdir -p "$W"

DUMP=$W/index_dump
${CXX:-g++} -std=c++20 -O2 -Wall -Wextra -o "$DUMP" tests/index_dump.cc || {
  echo "conformance: cannot build tests/index_dump.cc" >&2; exit 1; }

# Debian trees: reuse what fetch-images.sh unpacked, fetch only if missing.
need_fetch=
for arch in $MNG_ARCHES; do
  ls -d "$BABS/images/$arch/lib/modules/"* >/dev/null 2>&1 || need_fetch=1
done
if [ -n "$need_fetch" ]; then
  B=$B sh tests/fetch-images.sh >/dev/null || echo "conformance: fetch-images.sh failed" >&2
fi
for arch in $MNG_ARCHES; do
  kver=$(ls "$BABS/images/$arch/lib/modules/" 2>/dev/null | head -n 1)
  if [ -z "$kver" ]; then bad "$arch: no unpacked Debian tree in $B/images/$arch"; continue; fi
  check_tree "$arch" "$BABS/images/$arch" "$kver"
done

# Test-module trees.
if [ ! -f "$BABS/testmods/mod_a.ko" ]; then
  make -s B="$B" "$B/testmods.stamp" >&2 || true
fi
if [ -f "$BABS/testmods/mod_a.ko" ]; then
  kver=$(cat "$BABS/testmods/kver")
  check_small "$kver"
  check_gzip "$kver"
  echo "== cycle: $kver"
  check_cycle_one kmod "$KMOD_DEPMOD" "$kver"
  check_cycle_one ours "$DEPMOD" "$kver"
else
  bad "no test modules in $B/testmods (make B=$B $B/testmods.stamp)"
fi

echo "conformance: $n_ok ok, $n_fail failed, $n_skip skipped ($(( ($(now_ms) - t_start) / 1000 )) s)"
[ "$n_skip" = 0 ] || echo "conformance: WARNING: $n_skip comparisons were SKIPPED, see above"
[ "$n_fail" = 0 ]
