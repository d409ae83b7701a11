#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod's command line, run as a user would: -n, -o, -A, -V, --help,
# explicit module files, bad arguments.  Expected output comes from the
# files a normal run writes and from Debian's kmod depmod where kmod has
# the same option.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
KVER=$(cat "$B/testmods/kver")
W=$(pwd)/$B/check-depmod-cli
rm -rf "$W"
mkdir -p "$W"

tree() {  # tree ROOT: the test modules in a small tree
  d=$1/lib/modules/$KVER
  mkdir -p "$d/kernel/a" "$d/kernel/b"
  for m in mod_a mod_b mod_c mod-d mod_e; do cp "$B/testmods/$m.ko" "$d/kernel/a/"; done
  cp "$B/testmods/boot_one.ko" "$d/kernel/b/"
  printf 'kernel/a/mod_c.ko\nkernel/a/mod_a.ko\n' >"$d/modules.order"
}

tree "$W/t"
D=$W/t/lib/modules/$KVER
"$DEPMOD" -b "$W/t" "$KVER" 2>/dev/null || bad "plain run"
# -n prints the text files, in kmod's order, and writes nothing.
cat "$D/modules.dep" "$D/modules.alias" "$D/modules.softdep" "$D/modules.weakdep" "$D/modules.symbols" \
  "$D/modules.devname" >"$W/expect-n"
before=$(ls "$D" | sort | tr '\n' ' ')
"$DEPMOD" -n -b "$W/t" "$KVER" >"$W/got-n" 2>/dev/null
if cmp -s "$W/expect-n" "$W/got-n"; then ok "-n prints the text files"; else bad "-n output differs"; fi
[ "$(ls "$D" | sort | tr '\n' ' ')" = "$before" ] && ok "-n writes nothing" || bad "-n wrote files"

# -o writes elsewhere, the same bytes.
"$DEPMOD" -b "$W/t" -o "$W/out" "$KVER" 2>/dev/null
if cmp -s "$D/modules.dep" "$W/out/lib/modules/$KVER/modules.dep" &&
  cmp -s "$D/modules.alias.bin" "$W/out/lib/modules/$KVER/modules.alias.bin"; then
  ok "-o writes the same files under OUTDIR"
else
  bad "-o output differs"
fi

# -A: nothing newer, nothing written; a newer module, rewritten.
echo marker >"$D/modules.dep"
"$DEPMOD" -A -b "$W/t" "$KVER" 2>/dev/null
[ "$(cat "$D/modules.dep")" = marker ] && ok "-A leaves current files" || bad "-A rewrote current files"
touch -d '+1 hour' "$D/kernel/b/boot_one.ko"
"$DEPMOD" -A -b "$W/t" "$KVER" 2>/dev/null
[ "$(cat "$D/modules.dep")" != marker ] && ok "-A rewrites after a module changed" || bad "-A missed a newer module"

# Explicit files: only those, no configuration.
"$DEPMOD" -n -b "$W/t" "$KVER" "$D/kernel/a/mod_b.ko" "$D/kernel/a/mod_a.ko" >"$W/files" 2>/dev/null
"$KMOD_DEPMOD" -n -b "$W/t" "$KVER" "$D/kernel/a/mod_b.ko" "$D/kernel/a/mod_a.ko" >"$W/files-kmod" 2>/dev/null
grep -v '^#' "$W/files-kmod" >"$W/files-kmod.body"
grep -v '^#' "$W/files" >"$W/files.body"
if cmp -s "$W/files.body" "$W/files-kmod.body" && grep -q "mod_b.ko: kernel/a/mod_a.ko" "$W/files"; then
  ok "explicit module files as kmod"
else
  bad "explicit module files differ from kmod"
fi

# Configuration messages: depmod's name, kmod's wording and order.
mkdir -p "$W/conf.d/sub.conf"
printf 'bogus line\n' >"$W/conf.d/a.conf"
"$DEPMOD" -n -b "$W/t" -C "$W/conf.d" "$KVER" >/dev/null 2>"$W/conf-err"
/usr/sbin/depmod -n -b "$W/t" -C "$W/conf.d" "$KVER" >/dev/null 2>"$W/conf-err-kmod"
printf '%s\n' "depmod: ERROR: Directories inside directories are not supported: $W/conf.d/sub.conf" \
  "depmod: ERROR: $W/conf.d/a.conf:1: ignoring bad line starting with 'bogus'" >"$W/conf-want"
if cmp -s "$W/conf-want" "$W/conf-err" && cmp -s "$W/conf-err-kmod" "$W/conf-err"; then
  ok "configuration messages carry depmod's name, as kmod"
else
  bad "configuration messages: $(head -n 3 "$W/conf-err")"
fi

# modutils' old options: accepted, with modutils' meanings.
for o in "-a -q" -r -u -qru "--quiet --root --unresolved-error"; do
  # shellcheck disable=SC2086
  "$DEPMOD" $o -n -b "$W/t" "$KVER" >"$W/old-out" 2>"$W/old-err"
  rc=$?
  if [ $rc -eq 0 ] && cmp -s "$W/expect-n" "$W/old-out" && ! grep -q "unrecognised" "$W/old-err"; then
    ok "depmod $o runs"
  else
    bad "depmod $o: rc=$rc $(head -n 2 "$W/old-err")"
  fi
done
printf 'ffffffff81000000 T __fentry__\nffffffff81000010 r __ksymtab___fentry__\n' >"$W/System.map"
cp -r "$W/t" "$W/u"
rm -f "$W/u/lib/modules/$KVER/modules.dep"
"$DEPMOD" -u -b "$W/u" -F "$W/System.map" "$KVER" >/dev/null 2>"$W/u-err"
rc=$?
if [ $rc -eq 1 ] && grep -q "needs unknown symbol" "$W/u-err" && [ -s "$W/u/lib/modules/$KVER/modules.dep" ]; then
  ok "-u: an unresolved symbol gives status 1, the files are written"
else
  bad "-u: rc=$rc $(head -n 2 "$W/u-err")"
fi
"$DEPMOD" -q -u -e -n -b "$W/u" -F "$W/System.map" "$KVER" >/dev/null 2>"$W/uq-err"
rc=$?
[ $rc -eq 1 ] && ! grep -q "unknown symbol" "$W/uq-err" && ok "-q: no unresolved-symbol message" || bad "-q -u: rc=$rc"
"$DEPMOD" -e -n -b "$W/u" -F "$W/System.map" "$KVER" >/dev/null 2>"$W/e-err"
rc=$?
[ $rc -eq 0 ] && grep -q "needs unknown symbol" "$W/e-err" && ok "without -u, status 0" || bad "-e alone: rc=$rc"
# -s: messages to syslog, none on standard error.
"$DEPMOD" -s -b "$W/t" notaversion >/dev/null 2>"$W/s-err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$W/s-err" ] && ok "-s: messages leave standard error" || bad "-s: rc=$rc $(cat "$W/s-err")"
# --map: ignored with kmod's own warning.
"$DEPMOD" --map -n -b "$W/t" "$KVER" >"$W/map-out" 2>"$W/map-err"
rc=$?
/usr/sbin/depmod --map -n -b "$W/t" "$KVER" >/dev/null 2>"$W/map-err-kmod"
if [ $rc -eq 0 ] && cmp -s "$W/expect-n" "$W/map-out" &&
  grep -qx "depmod: WARNING: Ignored deprecated option --map" "$W/map-err" &&
  grep -qx "depmod: WARNING: Ignored deprecated option --map" "$W/map-err-kmod"; then
  ok "--map ignored with kmod's warning"
else
  bad "--map: rc=$rc $(head -n 2 "$W/map-err")"
fi
# -m keeps naming the module directory.
mkdir -p "$W/m/boot"
cp -r "$W/t/lib/modules" "$W/m/boot/mods"
"$DEPMOD" -m boot/mods -n -b "$W/m" "$KVER" >"$W/m-out" 2>/dev/null
cmp -s "$W/expect-n" "$W/m-out" && ok "-m DIR is still the module directory" || bad "-m DIR"

# A boot script of the modutils era under a modules.conf: `depmod -a -q`.
cp -r "$W/t" "$W/rc"
printf 'path[boot]=/lib/modules/%s/kernel/b\ndepfile=/lib/modules/%s/modules.dep\n' "$KVER" "$KVER" \
  >"$W/rc-modules.conf"
rm -f "$W/rc/lib/modules/$KVER/modules.dep"
"$DEPMOD" -a -q -C "$W/rc-modules.conf" -b "$W/rc" "$KVER" >/dev/null 2>"$W/rc-err"
rc=$?
if [ $rc -eq 0 ] && grep -q "boot_one.ko:" "$W/rc/lib/modules/$KVER/modules.dep" &&
  ! grep -q "mod_a" "$W/rc/lib/modules/$KVER/modules.dep" && ! grep -q "unrecognised" "$W/rc-err"; then
  ok "depmod -a -q under a modules.conf writes its depfile"
else
  bad "depmod -a -q under modules.conf: rc=$rc $(head -n 2 "$W/rc-err")"
fi

# modutils' form: module files, no version; dependency lines on stdout.
mkdir -p "$W/old/net"
cp "$B/testmods/mod_a.ko" "$W/old/mod_a.o"
cp "$B/testmods/mod_b.ko" "$W/old/net/mod_b.o"
printf '%s\n' "$W/old/mod_a.o:" "" "$W/old/net/mod_b.o:	$W/old/mod_a.o" "" >"$W/old-want"
(cd "$W/old" && "$DEPMOD" mod_a.o net/mod_b.o) >"$W/old-got" 2>"$W/old-err"
rc=$?
if [ $rc -eq 0 ] && cmp -s "$W/old-want" "$W/old-got" && [ ! -s "$W/old-err" ] &&
  [ "$(find "$W/old" -type f | wc -l)" -eq 2 ]; then
  ok "depmod file...: modutils' dependency lines on stdout, nothing written"
else
  bad "depmod file...: rc=$rc $(head -n 3 "$W/old-got") $(head -n 2 "$W/old-err")"
fi
(cd "$W/old" && "$DEPMOD" "$W/old/net/mod_b.o" mod_a.o) >"$W/old-got2" 2>/dev/null
grep -q "^$W/old/net/mod_b.o:	$W/old/mod_a.o\$" "$W/old-got2" && ok "a path with '/' first is a file" ||
  bad "absolute file first: $(head -n 2 "$W/old-got2")"

# Bad arguments.
"$DEPMOD" -b "$W/t" notaversion >/dev/null 2>"$W/err"
rc=$?
[ $rc -ne 0 ] && grep -q "Bad version passed notaversion" "$W/err" && ok "bad version refused" || bad "bad version: rc=$rc $(cat "$W/err")"
"$DEPMOD" -b "$W/t" "$KVER" relative.ko >/dev/null 2>"$W/err"
rc=$?
[ $rc -ne 0 ] && grep -q "relative.ko: not absolute path" "$W/err" && ok "relative file refused" || bad "relative file: rc=$rc"
"$DEPMOD" -P ab -b "$W/t" "$KVER" >/dev/null 2>"$W/err"
rc=$?
[ $rc -ne 0 ] && grep -q -- "-P only takes a single char" "$W/err" && ok "-P of two characters refused" || bad "-P ab: rc=$rc"
"$DEPMOD" --bogus >/dev/null 2>"$W/err"
[ $? -ne 0 ] && grep -q "bogus" "$W/err" && ok "unknown option refused" || bad "unknown option accepted"
"$DEPMOD" -V | grep -q "depmod" && ok "-V" || bad "-V"
# The feature line: kmod's words in kmod's order, each + or -.
feat='^[+-]ZSTD [+-]XZ [+-]ZLIB [+-]LIBCRYPTO [+-]EXPERIMENTAL$'
ours_feat=$("$DEPMOD" -V | sed -n 2p)
kmod_feat=$("$KMOD_DEPMOD" -V | sed -n 2p)
if echo "$ours_feat" | grep -Eq "$feat" && echo "$kmod_feat" | grep -Eq "$feat" && [ "$("$DEPMOD" -V | wc -l)" -eq 2 ]; then
  ok "-V feature line in kmod's form ($ours_feat)"
else
  bad "-V feature line: '$ours_feat' (kmod: '$kmod_feat')"
fi

# kmod's messages and exit codes, run by run against Debian's kmod.
# same_as_kmod NAME ROOT ARGS...: the same stderr, the same exit status and
# the same files left in ROOT's module directory, apart from modules.weakdep.
same_as_kmod() {
  name=$1 r=$2
  shift 2
  rm -rf "$W/k-$r" "$W/o-$r"
  tree "$W/k-$r"
  tree "$W/o-$r"
  dk=$W/k-$r/lib/modules/$KVER
  dout=$W/o-$r/lib/modules/$KVER
  # shellcheck disable=SC2046
  "$KMOD_DEPMOD" -b "$W/k-$r" $(echo "$@" | sed "s|@D|$dk|g; s|@R|$W/k-$r|g") >/dev/null 2>"$W/$r.kerr"
  krc=$?
  # shellcheck disable=SC2046
  "$DEPMOD" -b "$W/o-$r" $(echo "$@" | sed "s|@D|$dout|g; s|@R|$W/o-$r|g") >/dev/null 2>"$W/$r.oerr"
  orc=$?
  sed "s|$W/k-$r|ROOT|g" "$W/$r.kerr" >"$W/$r.kerr.n"
  sed "s|$W/o-$r|ROOT|g" "$W/$r.oerr" >"$W/$r.oerr.n"
  kfiles=$(cd "$dk" && ls -A | sort | tr '\n' ' ')
  # modules.weakdep is newer than kmod 30, which does not write it;
  # modules.cache is ours alone.
  ofiles=$(cd "$dout" && ls -A | grep -vx -e modules.weakdep -e modules.cache | sort | tr '\n' ' ')
  if [ $krc -eq $orc ] && cmp -s "$W/$r.kerr.n" "$W/$r.oerr.n" && [ "$kfiles" = "$ofiles" ]; then
    ok "$name: as kmod (rc $orc, $(wc -l <"$W/$r.oerr") message lines)"
  else
    bad "$name: rc $orc (kmod $krc); files '$ofiles' (kmod '$kfiles'); $(diff "$W/$r.kerr.n" "$W/$r.oerr.n" | head -n 4)"
  fi
}
same_as_kmod "missing module operand" miss "$KVER @D/kernel/a/mod_a.ko @D/kernel/a/nonexistent.ko"
same_as_kmod "-E with a missing file" nosymvers "-E @R/no-Module.symvers $KVER"
same_as_kmod "-F with a missing file" nomap "-F @R/no-System.map $KVER"
printf '0000000000000000 R __ksymtab_printk\n' >"$W/System.map"
same_as_kmod "-P _ -e -F: unknown symbols named as the module spells them" prefix "-P _ -e -F $W/System.map $KVER"
same_as_kmod "-P _ -e -E: symbol versions" prefixsv "-P _ -e -E $B/testmods/Module.symvers $KVER"
# The same on Debian's whole amd64 tree when tests/fetch-images.sh has
# unpacked it: every -e warning with -P, line for line.
IMG=$B/images/amd64
IK=$(ls "$IMG/lib/modules" 2>/dev/null | head -n 1)
if [ -n "$IK" ] && [ -f "$IMG/boot/System.map-$IK" ]; then
  "$KMOD_DEPMOD" -n -P _ -e -F "$IMG/boot/System.map-$IK" -b "$IMG" "$IK" >/dev/null 2>"$W/img.kerr"
  "$DEPMOD" -n -P _ -e -F "$IMG/boot/System.map-$IK" -b "$IMG" "$IK" >/dev/null 2>"$W/img.oerr"
  if [ -s "$W/img.kerr" ] && cmp -s "$W/img.kerr" "$W/img.oerr"; then
    ok "-P _ -e -F on Debian's tree: kmod's $(wc -l <"$W/img.kerr") warnings"
  else
    bad "-P _ -e -F on Debian's tree: $(diff "$W/img.kerr" "$W/img.oerr" | head -n 3)"
  fi
else
  echo "  note  no Debian tree in $IMG (tests/fetch-images.sh): -P on the whole tree not compared"
fi
"$DEPMOD" --help | grep -q -- "--basedir" && ok "--help lists the options" || bad "--help"
"$DEPMOD" --help | grep -q -- "--args" && bad "--help shows an internal option" || ok "--help has no internal options"

echo "check-depmod-cli: $n_fail failed"
[ $n_fail -eq 0 ]
