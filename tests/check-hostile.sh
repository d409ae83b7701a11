#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile module files.  A tree holds real modules (the test modules, some
# xz/zstd compressed, and Debian's USB serial drivers when
# tests/fetch-images.sh has unpacked the amd64 image) plus damaged files
# under kernel/bad/: empty, random bytes, text, truncated at several
# lengths, ELF header fields (section header offset, count, entry size,
# section-name table index) and section header fields (name index, offset,
# size, link) patched out of range or so that offset + size overflows,
# broken gzip/xz/zstd streams, a fifo and a dangling symlink.
#
# Our depmod must exit 0, print exactly one message per bad file naming
# the file and the reason, and write outputs identical to what Debian's
# kmod depmod writes for a copy of the tree holding only the good modules.
#
# Last, the difference that motivated this: kmod 30 aborts the whole run
# (assertion failure, nothing written) on a module whose section-name
# table index (e_shstrndx) is out of range; ours skips that one module.
# Both behaviours are printed.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
W=$BABS/hostile
KVER=9.9.9-hostile

need_tool "$DEPMOD" check-hostile
need_testmods
command -v readelf >/dev/null || { echo "check-hostile: readelf (binutils) missing"; exit 1; }

# ---- byte patching ----------------------------------------------------------
# put_le FILE OFFSET NBYTES HEX: stores HEX (no 0x) little-endian.
put_le() {
  f=$1 off=$2 n=$3 hex=$4
  while [ ${#hex} -lt $((n * 2)) ]; do hex=0$hex; done
  esc= i=$n
  while [ "$i" -gt 0 ]; do
    byte=$(printf '%s' "$hex" | cut -c$((2 * i - 1))-$((2 * i)))
    esc="$esc\\$(printf '%03o' "0x$byte")"
    i=$((i - 1))
  done
  # shellcheck disable=SC2059
  printf "$esc" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}
get_u64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
# Index of section NAME, from binutils' view of the intact file.
sec_index() { readelf -SW "$1" | sed -n "s/^ *\[ *\([0-9][0-9]*\)\] $2 .*/\1/p" | head -n 1; }
# File offset of section NAME's header (ELF64: 64 bytes each).
sec_hdr() { echo $(( $(get_u64 "$1" 40) + $(sec_index "$1" "$2") * 64 )); }
size_of() { wc -c <"$1" | tr -d ' '; }

rm -rf "$W"
good=$W/good/lib/modules/$KVER      # the good modules only (kmod's input)
ours=$W/ours/lib/modules/$KVER      # the good ones plus the bad ones
mkdir -p "$good/kernel/test" "$ours/kernel/bad"

# ---- the good modules -------------------------------------------------------
# loop_x/loop_y form a dependency cycle, which is an error of its own.
for m in mod_a mod_b mod_c mod-d boot_one fail_init; do cp "$MODS/$m.ko" "$good/kernel/test/"; done
xz -c --check=crc32 "$MODS/mod_e.ko" >"$good/kernel/test/mod_e.ko.xz"
zstd -q -c "$MODS/boot_two.ko" >"$good/kernel/test/boot_two.ko.zst"
img=$B/images/amd64/lib/modules
if [ -d "$img" ]; then
  serial=$(find "$img" -path '*/kernel/drivers/usb/serial' -type d | head -n 1)
  [ -n "$serial" ] && mkdir -p "$good/kernel/serial" && cp "$serial"/*.ko "$good/kernel/serial/"
fi
echo "good modules: $(find "$good" -name '*.ko*' | wc -l)"
cp -r "$good/kernel" "$ours/"

# ---- the bad ones -----------------------------------------------------------
# Each entry of $W/cases: "FILE REASON-REGEX" (FILE below kernel/bad).
cases=$W/cases
: >"$cases"
add() { printf '%s %s\n' "$1" "$2" >>"$cases"; }
d=$ours/kernel/bad
base=$MODS/mod_a.ko
size=$(size_of "$base")

: >"$d/empty.ko";                                            add empty.ko 'empty file'
# (starting with text, so that it cannot look compressed by chance)
{ printf 'junk'; head -c 8188 /dev/urandom; } >"$d/random.ko"; add random.ko 'not an ELF'
printf 'this is not a module\n' >"$d/text.ko";               add text.ko 'not an ELF'
head -c 40 "$base" >"$d/trunc_header.ko";                    add trunc_header.ko 'truncated ELF header'
head -c $((size / 2)) "$base" >"$d/trunc_half.ko";           add trunc_half.ko 'outside the file'
head -c $((size - 1)) "$base" >"$d/trunc_last_byte.ko";      add trunc_last_byte.ko 'outside the file'

patched() { cp "$base" "$d/$1"; put_le "$d/$1" "$2" "$3" "$4"; }
# ELF64 header: e_shoff at 40 (8 bytes), e_shentsize 58, e_shnum 60, e_shstrndx 62.
patched shoff_huge.ko 40 8 fffffffffffffff0;                 add shoff_huge.ko 'outside the file'
patched shoff_past_end.ko 40 8 "$(printf '%x' $((size + 4096)))"; add shoff_past_end.ko 'outside the file'
patched shoff_zero.ko 40 8 0;                                add shoff_zero.ko 'no section header table'
patched shnum_max.ko 60 2 ffff;                              add shnum_max.ko 'outside the file'
patched shentsize.ko 58 2 20;                                add shentsize.ko 'section header size'
patched shstrndx.ko 62 2 fff0;                               add shstrndx.ko 'section name table index'
# Section headers: sh_name +0 (4), sh_offset +24 (8), sh_size +32 (8), sh_link +40 (4).
modinfo=$(sec_hdr "$base" .modinfo)
symtab=$(sec_hdr "$base" .symtab)
patched sh_name.ko "$modinfo" 4 7fffffff;                    add sh_name.ko 'name outside the name table'
patched sh_offset.ko $((modinfo + 24)) 8 ffffffffffffff00;  add sh_offset.ko 'outside the file'
patched sh_size.ko $((symtab + 32)) 8 7fffffffffffffff;     add sh_size.ko 'outside the file'
patched sh_overflow.ko $((modinfo + 32)) 8 ffffffffffffffff; put_le "$d/sh_overflow.ko" $((modinfo + 24)) 8 10
add sh_overflow.ko 'outside the file'
patched sh_link.ko $((symtab + 40)) 4 fff0;                  add sh_link.ko 'string table link'

# Compressed streams.
gzip -9 -c "$base" >"$W/a.gz"; xz -c --check=crc32 "$base" >"$W/a.xz"; zstd -q -c "$base" >"$W/a.zst"
for z in gz xz zst; do
  zsize=$(size_of "$W/a.$z")
  head -c $((zsize / 2)) "$W/a.$z" >"$d/${z}_truncated.ko.$z"
  cp "$W/a.$z" "$d/${z}_corrupt.ko.$z"
  # 64 bytes of 0x55 in the middle of the compressed data.
  head -c 64 /dev/zero | tr '\0' 'U' | dd of="$d/${z}_corrupt.ko.$z" bs=1 seek=$((zsize / 2)) conv=notrunc status=none
done
add gz_truncated.ko.gz 'truncated gzip stream';  add gz_corrupt.ko.gz 'gzip: '
add xz_truncated.ko.xz 'truncated xz stream|xz: '; add xz_corrupt.ko.xz 'xz: '
add zst_truncated.ko.zst 'truncated zstd stream'; add zst_corrupt.ko.zst 'zstd: '
printf '\375\067\172\130\132\000' >"$d/xz_magic_only.ko.xz";   add xz_magic_only.ko.xz 'xz'
: | gzip -c >"$d/gz_empty.ko.gz";                            add gz_empty.ko.gz 'empty gzip stream'
head -c 5000 /dev/urandom | zstd -q -c >"$d/zst_not_elf.ko.zst"; add zst_not_elf.ko.zst 'not an ELF'
# Not regular files.
mkfifo "$d/fifo.ko";                                         add fifo.ko 'unsupported file type'
ln -s nowhere.ko "$d/dangling.ko";                           add dangling.ko 'No such file'
echo "bad files: $(wc -l <"$cases")"

# ---- our depmod -------------------------------------------------------------
"$DEPMOD" -b "$W/ours" "$KVER" >"$W/ours.out" 2>"$W/ours.err"
rc=$?
if [ $rc -eq 0 ]; then ok "depmod exits 0 with $(wc -l <"$cases") bad files in the tree"; else bad "depmod exit $rc"; sed 's/^/        /' "$W/ours.err" | head; fi

while read -r f re; do
  # "PATH: reason", or kmod's "fstatat(PATH): reason" wording.
  f_re="/kernel/bad/$(printf '%s' "$f" | sed 's/\./\\./g')[:)]"
  n=$(grep -c -E "$f_re" "$W/ours.err")
  line=$(grep -E "$f_re" "$W/ours.err" | head -n 1)
  if [ "$n" -ne 1 ]; then
    bad "$f: $n messages (want exactly 1)"
  elif ! printf '%s\n' "$line" | grep -Eq "$re"; then
    bad "$f: message does not give the reason /$re/: $line"
  else
    ok "$(printf '%s\n' "$line" | sed "s|$ours/||")"
  fi
done <"$cases"
# Nothing else may be an error: every ERROR line names a bad file.
others=$(grep 'ERROR' "$W/ours.err" | grep -v -F '/kernel/bad/')
if [ -z "$others" ]; then ok "no error about any good module"; else bad "other errors:"; printf '%s\n' "$others" | sed 's/^/        /'; fi

# ---- kmod on the good modules only ------------------------------------------
"$KMOD_DEPMOD" -b "$W/good" "$KVER" >/dev/null 2>"$W/kmod.err"
rc=$?
[ $rc -eq 0 ] || bad "kmod depmod on the good tree: exit $rc"
nfiles=0
for k in "$good"/modules.*; do
  name=$(basename "$k")
  nfiles=$((nfiles + 1))
  if [ ! -f "$ours/$name" ]; then
    bad "$name: written by kmod, missing from ours"
  elif [ "$name" = modules.symbols ]; then
    # A hash order in kmod's output: the same lines are enough.
    if [ "$(sort "$k")" = "$(sort "$ours/$name")" ]; then ok "$name: same lines as kmod's"; else bad "$name differs from kmod's"; fi
  elif cmp -s "$k" "$ours/$name"; then
    ok "$name: identical to kmod's"
  else
    bad "$name differs from kmod's"
    diff "$k" "$ours/$name" 2>/dev/null | head -n 10 | sed 's/^/        /'
  fi
done
[ "$nfiles" -ge 5 ] || bad "kmod wrote only $nfiles files"

# ---- hostile modules.cache ---------------------------------------------------
# Whatever sits where depmod keeps its cache of module facts, the run ends
# in time, exits 0, names the reason under -v and writes the same outputs
# as a run without the cache.
echo "hostile modules.cache (in a copy of the good tree):"
ct=$W/cache/lib/modules/$KVER
mkdir -p "$ct"
cp -r "$good/kernel" "$ct/"
"$DEPMOD" --no-cache -b "$W/cache" "$KVER" >/dev/null 2>&1
mkdir -p "$W/cache.ref"
for f in "$ct"/modules.*; do cp "$f" "$W/cache.ref/"; done
# Once its modules are past the cache's freshness window: a real cache to damage.
sleep 3
"$DEPMOD" -b "$W/cache" "$KVER" >/dev/null 2>&1
cp "$ct/modules.cache" "$W/cache.real"
csize=$(size_of "$W/cache.real")
cache_case() {  # cache_case NAME EXPECTED-REASON-RE: after the case's file is in place
  out=$(timeout 30 "$DEPMOD" -v -b "$W/cache" "$KVER" 2>&1 </dev/null)
  rc=$?
  same=yes
  for f in "$W/cache.ref"/modules.*; do cmp -s "$f" "$ct/$(basename "$f")" || same="no ($(basename "$f"))"; done
  line=$(printf '%s\n' "$out" | grep 'modules.cache not used' | head -n 1)
  if [ $rc -eq 0 ] && [ "$same" = yes ] && printf '%s\n' "$line" | grep -q -E "$2"; then
    ok "cache $1: ignored (${line##*: }), outputs unchanged"
  else
    bad "cache $1: exit $rc, outputs same: $same, -v line '$line'"
  fi
  rm -rf "$ct/modules.cache"
}
head -c 65536 /dev/urandom >"$ct/modules.cache"; cache_case "of random bytes" 'not a depmod cache'
: >"$ct/modules.cache"; cache_case "empty" 'truncated'
for n in 8 31 40 $((csize / 3)) $((csize / 2)) $((csize - 5)) $((csize - 1)); do
  head -c "$n" "$W/cache.real" >"$ct/modules.cache"; cache_case "truncated to $n of $csize bytes" 'truncated|checksum|another'
done
for at in 9 13 17 21 33 $((csize / 2)) $((csize - 2)); do
  cp "$W/cache.real" "$ct/modules.cache"
  printf '\252' | dd of="$ct/modules.cache" bs=1 seek="$at" conv=notrunc status=none
  cache_case "with byte $at changed" 'checksum|another|byte order'
done
{ cat "$W/cache.real"; echo junk; } >"$ct/modules.cache"; cache_case "with bytes appended" 'checksum'
mkfifo "$ct/modules.cache"; cache_case "a fifo" 'not a regular file'
ln -s /dev/zero "$ct/modules.cache"; cache_case "a symlink to /dev/zero" 'symbolic links|Too many'
truncate -s 100M "$ct/modules.cache"; cache_case "of 100 MiB (sparse)" 'too big'
mkdir "$ct/modules.cache"; cache_case "a directory" 'directory'
# A directory in the way is left alone; a run after it is gone writes one.
"$DEPMOD" -b "$W/cache" "$KVER" >/dev/null 2>&1
[ -f "$ct/modules.cache" ] && ok "cache written again once the directory is gone" || bad "no cache written after the directory"

# ---- kmod 30 vs ours on e_shstrndx out of range -----------------------------
echo "section-name table index out of range (kernel/bad/shstrndx.ko alone among the good modules):"
for who in kmod ours; do
  t=$W/shstrndx-$who/lib/modules/$KVER
  mkdir -p "$t/kernel/bad"
  cp -r "$good/kernel" "$t/"
  cp "$d/shstrndx.ko" "$t/kernel/bad/"
  if [ $who = kmod ]; then prog=$KMOD_DEPMOD; else prog=$DEPMOD; fi
  "$prog" -b "$W/shstrndx-$who" "$KVER" >/dev/null 2>"$W/shstrndx-$who.err"
  echo $? >"$W/shstrndx-$who.rc"
  written=$(ls "$t" | grep -c '^modules\.')
  echo "  $who: exit $(cat "$W/shstrndx-$who.rc"), $written output files written; its messages:"
  grep -v 'could not open modules\.' "$W/shstrndx-$who.err" | sed 's/^/        /'
done
krc=$(cat "$W/shstrndx-kmod.rc") orc=$(cat "$W/shstrndx-ours.rc")
if [ "$krc" -ne 0 ] && grep -q 'Assertion' "$W/shstrndx-kmod.err"; then
  echo "  kmod $("$KMOD_DEPMOD" --version | head -n 1 | sed 's/^kmod version //') aborts the whole run (exit $krc)"
else
  echo "  NOTE: this kmod ($("$KMOD_DEPMOD" --version | head -n 1)) did not abort (exit $krc)"
fi
if [ "$orc" -eq 0 ] && cmp -s "$W/shstrndx-ours/lib/modules/$KVER/modules.dep" "$good/modules.dep"; then
  ok "ours skips the module and writes the good modules' modules.dep (identical to kmod's on the good tree)"
else
  bad "ours: exit $orc or modules.dep differs from kmod's on the good tree"
fi

echo "check-hostile: $n_ok ok, $n_fail failed"
[ "$n_fail" -eq 0 ]
