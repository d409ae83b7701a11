#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod's output work is relative to directory descriptors: runs depmod
# under strace on a tree of test modules (in place, with -o, and with an
# interrupted run's journal to recover) and fails if any open, rename,
# unlink or stat of an output file, a temporary, the journal, the builtin
# lists or modules.order names it by an absolute path or against the
# working directory instead of by a directory descriptor.  Then runs it with its
# paths relocated by a preload library, as kmod's testsuite does, beside
# Debian's kmod run the same way.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
TESTMODS=${MNG_TESTMODS:-$BABS/testmods}
KVER=$(cat "$TESTMODS/kver")
W=$BABS/check-depmod-at
rm -rf "$W"
mkdir -p "$W"
need_pkgs strace

tree() {
  d=$1/lib/modules/$KVER
  mkdir -p "$d/kernel/a" "$d/kernel/b"
  for m in mod_a mod_b mod_c mod-d mod_e; do cp "$TESTMODS/$m.ko" "$d/kernel/a/"; done
  cp "$TESTMODS/boot_one.ko" "$d/kernel/b/"
  printf 'kernel/a/mod_c.ko\nkernel/a/mod_a.ko\n' >"$d/modules.order"
  printf 'kernel/fs/ext4.ko\n' >"$d/modules.builtin"
  printf 'ext4.alias=fs-ext4\0' >"$d/modules.builtin.modinfo"
}

CALLS=open,openat,openat2,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,stat,lstat,newfstatat,statx,access,faccessat
OUTNAMES='modules\.(dep|alias|softdep|weakdep|symbols|devname|builtin|builtin\.modinfo|order)(\.bin)?|modules\.builtin\.alias\.bin|\.mng-[^"/]*'

# traced NAME ARGS...: runs depmod ARGS under strace, then checks the trace.
traced() {
  name=$1
  shift
  strace -f -qq -s 4096 -e trace=$CALLS -o "$W/$name.trace" "$DEPMOD" "$@" >/dev/null 2>"$W/$name.err"
  rc=$?
  [ $rc -eq 0 ] || { bad "$name: depmod failed (rc $rc): $(head -n 3 "$W/$name.err")"; return; }
  # Every call that names an output file.
  grep -E "\"([^\"]*/)?($OUTNAMES)\"" "$W/$name.trace" >"$W/$name.out-calls"
  # Such a call is bad when it takes AT_FDCWD or a path with a slash.
  grep -E "AT_FDCWD|\"[^\"]*/[^\"]*($OUTNAMES)\"|^[0-9]+ +(open|creat|rename|unlink|mkdir|stat|lstat|access)\(" \
    "$W/$name.out-calls" >"$W/$name.bad"
  renames=$(grep -Ec '^[0-9]+ +renameat2?\([0-9]+, "\.mng-modules\.dep\.[0-9]+\.tmp", [0-9]+, "modules\.dep"' "$W/$name.out-calls")
  if [ -s "$W/$name.bad" ]; then
    bad "$name: output files named by path: $(head -n 3 "$W/$name.bad")"
  elif [ "$renames" -lt 1 ]; then
    bad "$name: no renameat of modules.dep in the trace (trace not what was expected)"
  else
    ok "$name: $(wc -l <"$W/$name.out-calls") calls on output files, all relative to a directory descriptor"
  fi
}

tree "$W/t"
traced "in place" -b "$W/t" "$KVER"
traced "with -o" -b "$W/t" -o "$W/out" "$KVER"
[ -s "$W/out/lib/modules/$KVER/modules.dep" ] && ok "-o wrote modules.dep" || bad "-o wrote no modules.dep"

# -A looks at modules.dep relative to the output directory too.
touch -d '+1 hour' "$W/t/lib/modules/$KVER/kernel/b/boot_one.ko"
traced "-A after a module changed" -A -b "$W/t" "$KVER"
if grep -Eq 'newfstatat\([0-9]+, "modules\.dep", ' "$W/-A after a module changed.trace"; then
  ok "-A: modules.dep looked at with fstatat on the directory"
else
  bad "-A: $(grep -E 'modules\.dep' "$W/-A after a module changed.trace" | head -n 2)"
fi

# An interrupted run: a journal and its temporary are completed first.
D=$W/t/lib/modules/$KVER
printf 'recovered\n' >"$D/.mng-modules.devname.1.tmp"
printf '.mng-modules.devname.1.tmp modules.devname\n' >"$D/.mng-journal"
printf 'stray' >"$D/.mng-modules.alias.2.tmp"
traced "recovery" -b "$W/t" "$KVER"
if grep -Eq 'renameat2?\([0-9]+, "\.mng-modules\.devname\.1\.tmp", [0-9]+, "modules\.devname"' "$W/recovery.trace" &&
  grep -Eq 'unlinkat\([0-9]+, "\.mng-journal", 0\)' "$W/recovery.trace" &&
  grep -Eq 'unlinkat\([0-9]+, "\.mng-modules\.alias\.2\.tmp", 0\)' "$W/recovery.trace" &&
  ! ls -A "$D" | grep -q '^\.mng-'; then
  ok "recovery renames and removes relative to the directory"
else
  bad "recovery: $(grep -E 'mng' "$W/recovery.trace" | head -n 3)"
fi

# A missing output directory is made component by component.
traced "new output directory" -b "$W/t" -o "$W/new/deeper" "$KVER"
if grep -Eq 'mkdirat\([0-9]+, "deeper", 0755\)' "$W/new output directory.trace" &&
  ! grep -Eq '^[0-9]+ +mkdir\(' "$W/new output directory.trace"; then
  ok "missing directories made with mkdirat"
else
  bad "missing directories: $(grep -E 'mkdir' "$W/new output directory.trace" | head -n 3)"
fi

# Relocated paths, as kmod's own testsuite runs depmod: a preload library
# moves every absolute path given to open, fopen, opendir, stat, mkdir and
# access under a root directory, and nothing else.  depmod run without -b
# must then read and write only inside that root, with the same files and
# messages as Debian's kmod run the same way.
if [ -n "${MNG_IN_ASAN:-}" ]; then
  # A sanitized binary wants its runtime first among the preloaded libraries.
  echo "  SKIP  relocated paths: not with the sanitizer build"
elif cc -shared -fPIC -O1 -o "$W/relocate.so" tests/relocate_preload.c -ldl 2>"$W/relocate.cc-err"; then
  RK=9.9.9-relocated  # no such directory on the host, so an escaped call fails
  for who in ours kmod; do
    m=$W/reloc-$who/lib/modules/$RK
    mkdir -p "$m/kernel/a"
    for x in mod_a mod_b mod_c mod-d mod_e; do cp "$TESTMODS/$x.ko" "$m/kernel/a/"; done
    printf 'kernel/a/mod_c.ko\n' >"$m/modules.order"
  done
  MNG_RELOCATE_ROOT=$W/reloc-ours LD_PRELOAD=$W/relocate.so "$DEPMOD" "$RK" >/dev/null 2>"$W/reloc-ours.err"
  orc=$?
  MNG_RELOCATE_ROOT=$W/reloc-kmod LD_PRELOAD=$W/relocate.so "$KMOD_DEPMOD" "$RK" >/dev/null 2>"$W/reloc-kmod.err"
  krc=$?
  same=yes
  for f in "$W/reloc-kmod/lib/modules/$RK"/modules.*; do
    cmp -s "$f" "$W/reloc-ours/lib/modules/$RK/${f##*/}" || same="no (${f##*/})"
  done
  if [ $orc -eq 0 ] && [ $krc -eq 0 ] && [ "$same" = yes ] && cmp -s "$W/reloc-kmod.err" "$W/reloc-ours.err" &&
    [ -s "$W/reloc-ours/lib/modules/$RK/modules.dep.bin" ] && [ ! -e "/lib/modules/$RK" ]; then
    ok "relocated paths: the files and messages of kmod relocated the same way"
  else
    bad "relocated paths: rc $orc (kmod $krc), same files: $same; $(head -n 2 "$W/reloc-ours.err")"
  fi
  # --outdir given as an absolute path inside the relocated root (kmod 30
  # has no --outdir: its files written in place are the reference).
  MNG_RELOCATE_ROOT=$W/reloc-ours LD_PRELOAD=$W/relocate.so "$DEPMOD" --outdir /outdir/ "$RK" >/dev/null 2>&1
  orc=$?
  krc=0
  same=yes
  for f in "$W/reloc-kmod/lib/modules/$RK"/modules.*; do
    [ "${f##*/}" = modules.order ] && continue
    cmp -s "$f" "$W/reloc-ours/outdir/lib/modules/$RK/${f##*/}" || same="no (${f##*/})"
  done
  if [ $orc -eq 0 ] && [ $krc -eq 0 ] && [ "$same" = yes ] && [ -s "$W/reloc-ours/outdir/lib/modules/$RK/modules.dep" ] &&
    [ ! -e /outdir ]; then
    ok "relocated paths with --outdir: kmod's files, inside the root"
  else
    bad "relocated paths with --outdir: rc $orc (kmod $krc), same files: $same"
  fi
else
  bad "could not build the relocation library: $(head -n 2 "$W/relocate.cc-err")"
fi

finish check-depmod-at
