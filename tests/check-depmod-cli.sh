#!/bin/sh
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
"$DEPMOD" --help | grep -q -- "--basedir" && ok "--help lists the options" || bad "--help"
"$DEPMOD" --help | grep -q -- "--args" && bad "--help shows an internal option" || ok "--help has no internal options"

echo "check-depmod-cli: $n_fail failed"
[ $n_fail -eq 0 ]
