#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Unlucky and hostile conditions around the module files rather than in
# them (check-hostile.sh damages the modules themselves):
#   1. endless or blocking inputs: modules.builtin, modules.builtin.modinfo,
#      modules.order and the output journal as a symbolic link to /dev/zero
#      or as a FIFO, `-C` naming them, a text modules.dep on /dev/zero;
#      for modprobe, each index, modules.softdep and a module file (also
#      given to modinfo and insmod) the same way.  Each run finishes (under
#      a timeout), exits as it would without the file, in little memory
#      (peak RSS), with one message naming the file; depmod still writes
#      its set.
#   2. depmod runs overlapping on one output directory: all succeed, one
#      whole set is left; a run waits for the lock another holds.
#   3. compression bombs: peak memory stays under the documented 256 MiB
#      with any -j; -j and MNG_DEPMOD_JOBS are checked.
#   4. modprobe path operands that are no module file are "not found".
#   5. a directory symbolic-link loop in the tree: one warning, the outputs
#      of the tree without the loop.
#   7. every new output file is flushed before the renames that publish
#      the set, the directory after them (strace).
#   Also in section 1: a module file truncated while it is read, standard
#   output to a closed pipe or a full disk.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-reliability
need_tool "$MODPROBE" check-reliability
need_testmods
need_pkgs strace time
command -v strace >/dev/null || { echo "check-reliability: strace missing"; exit 1; }
mng_tmpdir W check-reliability
KVER=9.9.9-rel

# A small tree of the test modules with its three input files.
make_tree() {
  _m=$1/lib/modules/$KVER
  mkdir -p "$_m/kernel/test"
  for _x in mod_a mod_b mod_c mod-d; do cp "$MODS/$_x.ko" "$_m/kernel/test/"; done
  zstd -q -c "$MODS/mod_e.ko" >"$_m/kernel/test/mod_e.ko.zst"
  (cd "$_m" && find kernel -name '*.ko*' | LC_ALL=C sort | sed 's/\.zst$//') >"$_m/modules.order"
  printf 'kernel/fs/builtin_one.ko\n' >"$_m/modules.builtin"
  printf 'builtin_one.alias=fs-one\0' >"$_m/modules.builtin.modinfo"
}
# peak_kib FILE: the peak RSS /usr/bin/time wrote as the last line of FILE.
peak_kib() { tail -n 1 "$1"; }
timed() { out=$1; shift; /usr/bin/time -f '%M' -o "$out.rss" timeout 20 "$@"; }

ref=$W/ref
make_tree "$ref"
"$DEPMOD" -b "$ref" "$KVER" 2>"$W/ref.err" || bad "depmod on the intact tree"

# same_set DIR FILE: DIR holds the outputs of the intact tree, except for
# what the unreadable input FILE feeds (modules.builtin: modules.builtin.bin;
# modules.order: the order of every file, so only modules.dep's lines).
same_set() {
  for _o in "$ref/lib/modules/$KVER"/modules.*; do
    _n=$(basename "$_o")
    is_depmod_input "$_n" && continue
    case $2:$_n in
      # The cache records its own run (inodes of the new files): not an output to compare.
      *:modules.cache) continue ;;
      modules.builtin:modules.builtin.bin | modules.builtin.modinfo:modules.builtin.alias.bin) continue ;;
      modules.order:*.bin | modules.order:modules.symbols) continue ;;
      modules.order:*) [ "$(sort "$_o")" = "$(sort "$1/$_n")" ] || return 1; continue ;;
    esac
    cmp -s "$_o" "$1/$_n" || return 1
  done
}

# ---- 1. endless and blocking inputs ---------------------------------------
echo "1. endless and blocking inputs"
for f in modules.builtin modules.builtin.modinfo modules.order .mng-journal; do
  for kind in zero fifo; do
    t=$W/in-$kind$f
    make_tree "$t"
    m=$t/lib/modules/$KVER
    rm -f "$m/$f"
    if [ $kind = zero ]; then ln -s /dev/zero "$m/$f"; else mkfifo "$m/$f"; fi
    timed "$W/o" "$DEPMOD" -b "$t" "$KVER" >/dev/null 2>"$W/o.err"
    rc=$?
    kib=$(peak_kib "$W/o.rss")
    n=$(grep -c -F "$f" "$W/o.err")
    if [ $rc -ne 0 ]; then
      bad "depmod with $f on $kind: exit $rc"; sed 's/^/        /' "$W/o.err" | head -n 5 | cut -c1-300
    elif [ "$kib" -gt 65536 ]; then
      bad "depmod with $f on $kind: peak RSS $kib KiB (over 64 MiB: it read the device)"
    elif ! same_set "$m" "$f"; then
      bad "depmod with $f on $kind: the outputs differ from those of the intact tree"
    elif [ "$n" -lt 1 ] || ! grep -F "$f" "$W/o.err" | grep -q 'not a regular file'; then
      bad "depmod with $f on $kind: no message saying it is not a regular file"; sed 's/^/        /' "$W/o.err"
    else
      ok "depmod, $f on $kind: exit 0, $kib KiB, $(grep -F "$f" "$W/o.err" | grep 'not a regular file' | head -n 1 | sed "s|$W/||")"
    fi
  done
done
mkfifo "$W/fifo.conf"
for c in /dev/zero "$W/fifo.conf"; do
  timed "$W/o" "$DEPMOD" -b "$ref" -C "$c" "$KVER" >/dev/null 2>"$W/o.err"
  rc=$? kib=$(peak_kib "$W/o.rss")
  said=$(grep -F "$c: not a regular file" "$W/o.err" | sed "s|$W/||g")
  if [ $rc -eq 0 ] && [ "$kib" -lt 65536 ] && [ -n "$said" ]; then ok "depmod -C $(basename "$c"): exit 0, $kib KiB, $said"
  else bad "depmod -C $c: exit $rc, $kib KiB, message: ${said:-none}"; fi
  timed "$W/o" "$MODPROBE" -d "$ref" -S "$KVER" -C "$c" -n mod_a >/dev/null 2>"$W/o.err"
  rc=$? kib=$(peak_kib "$W/o.rss")
  said=$(grep -F "$c: not a regular file" "$W/o.err" | sed "s|$W/||g")
  if [ $rc -eq 0 ] && [ "$kib" -lt 65536 ] && [ -n "$said" ]; then ok "modprobe -C $(basename "$c") -n mod_a: exit 0, $kib KiB, $said"
  else bad "modprobe -C $c: exit $rc, $kib KiB, message: ${said:-none}"; cat "$W/o.err"; fi
done
# -E Module.symvers and -F System.map on a FIFO or /dev/zero: refused at
# once, with the file named (kmod waits on the FIFO).
for c in /dev/zero "$W/fifo.conf"; do
  for o in -E -F; do
    timed "$W/o" "$DEPMOD" -b "$ref" -o "$W/symout" $o "$c" -e "$KVER" >/dev/null 2>"$W/o.err"
    rc=$?
    said=$(grep -F "$c: not a regular file" "$W/o.err" | sed "s|$W/||g")
    if [ $rc -eq 1 ] && [ -n "$said" ]; then ok "depmod $o $(basename "$c"): exit 1, $said"
    else bad "depmod $o $c: exit $rc, message: $(head -n 1 "$W/o.err")"; fi
  done
done
# A text modules.dep (no .bin beside it) that is /dev/zero.
t=$W/textdep
make_tree "$t"
"$DEPMOD" -b "$t" "$KVER" 2>/dev/null
m=$t/lib/modules/$KVER
rm -f "$m/modules.dep" "$m/modules.dep.bin"
ln -s /dev/zero "$m/modules.dep"
timed "$W/o" "$MODPROBE" -d "$t" -S "$KVER" -C /dev/null -n mod_a >/dev/null 2>"$W/o.err"
rc=$? kib=$(peak_kib "$W/o.rss")
if [ $rc -eq 1 ] && [ "$kib" -lt 65536 ] && grep -q 'modules.dep: not a regular file' "$W/o.err"; then
  ok "modprobe with modules.dep on /dev/zero: exit 1, $kib KiB, $(head -n 1 "$W/o.err" | sed "s|$W/||")"
else
  bad "modprobe with modules.dep on /dev/zero: exit $rc, $kib KiB"; sed 's/^/        /' "$W/o.err"
fi

# The indexes and text files modprobe reads, and a module file, as a FIFO
# with no writer or as /dev/zero: modprobe and modinfo finish and name the
# file.  The names asked for make modprobe consult every one of them.
t=$W/mpin
make_tree "$t"
"$DEPMOD" -b "$t" "$KVER" 2>/dev/null
m=$t/lib/modules/$KVER
for f in modules.dep.bin modules.alias.bin modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin \
         modules.softdep; do
  for kind in zero fifo; do
    mv "$m/$f" "$W/saved"
    if [ $kind = zero ]; then ln -s /dev/zero "$m/$f"; else mkfifo "$m/$f"; fi
    timed "$W/o" "$MODPROBE" -d "$t" -S "$KVER" -C /dev/null -n -v -a mod_a no-such-name symbol:no_such_symbol \
      >"$W/o.out" 2>"$W/o.err"
    rc=$? kib=$(peak_kib "$W/o.rss")
    rm -f "$m/$f"; mv "$W/saved" "$m/$f"
    said=$(grep -F "$f: not a regular file" "$W/o.err" | head -n 1 | sed "s|$W/||g")
    if [ $rc -eq 124 ]; then
      bad "modprobe with $f on $kind: still waiting after 20 s"
    elif [ "$kib" -gt 65536 ]; then
      bad "modprobe with $f on $kind: peak RSS $kib KiB"
    elif [ $rc -ne 1 ]; then
      bad "modprobe with $f on $kind: exit $rc (1 expected: two names are not found)"; sed 's/^/        /' "$W/o.err" | head -n 5
    elif ! grep -q "^insmod $m/kernel/test/mod_a.ko" "$W/o.out"; then
      bad "modprobe with $f on $kind: mod_a was not inserted"; sed 's/^/        /' "$W/o.out" "$W/o.err" | head -n 8
    elif [ -z "$said" ]; then
      bad "modprobe with $f on $kind: no message naming the file"; sed 's/^/        /' "$W/o.err" | head -n 5
    else
      ok "modprobe with $f on $kind: exit 1, $kib KiB, mod_a inserted, $said"
    fi
  done
done
mkfifo "$m/kernel/test/fifo.ko"
for tool in "$B/modinfo" "$B/insmod"; do
  # insmod: a FIFO holds no module, and is refused before the kernel is asked.
  timed "$W/o" "$tool" "$m/kernel/test/fifo.ko" >/dev/null 2>"$W/o.err"
  rc=$?
  if [ $rc -eq 124 ]; then bad "$(basename "$tool") on a FIFO: still waiting after 20 s"
  elif [ $rc -eq 0 ]; then bad "$(basename "$tool") on a FIFO: exit 0"
  else ok "$(basename "$tool") on a FIFO: exit $rc, $(head -n 1 "$W/o.err" | sed "s|$W/||g")"
  fi
done
rm -f "$m/kernel/test/fifo.ko"

# A module file cut to half its size in place between the tool's stat and
# its read (tests/truncate_preload.c): a clean error, not SIGBUS (status
# 135), as a mapping of the file gave.
if cc -shared -fPIC -O1 -o "$W/truncate.so" tests/truncate_preload.c -ldl; then
  for what in modinfo "modprobe --dump-modversions"; do
    cp "$MODS/mod_a.ko" "$W/cut.ko"
    # shellcheck disable=SC2086
    MNG_TRUNCATE_AFTER_FSTAT=$W/cut.ko LD_PRELOAD=$W/truncate.so timeout 20 "$B/"$what "$W/cut.ko" \
      >/dev/null 2>"$W/o.err"
    rc=$?
    full=$(wc -c <"$MODS/mod_a.ko") now=$(wc -c <"$W/cut.ko")
    if [ "$now" -ge "$full" ]; then
      bad "$what on a module cut while read: the preload did not cut it ($now of $full bytes)"
    elif [ $rc -eq 1 ] && [ -s "$W/o.err" ]; then
      ok "$what on a module cut while read: exit 1, $(head -n 1 "$W/o.err" | sed "s|$W/||g")"
    else
      bad "$what on a module cut while read: exit $rc"; head -n 3 "$W/o.err"
    fi
  done
else
  bad "cannot build tests/truncate_preload.c"
fi

# Standard output that cannot be written: a pipe whose reader has gone is
# a failed write, not a death by SIGPIPE (exit 1, nothing said: the reader
# asked for no more); a full disk is named.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "options mod_%d p=%d\n", i, i }' >"$W/big.conf"
{ "$MODPROBE" -d "$ref" -S "$KVER" -C "$W/big.conf" -c 2>"$W/o.err"; echo $? >"$W/o.rc"; } | head -c 1 >/dev/null
rc=$(cat "$W/o.rc")
if [ "$rc" = 1 ] && [ ! -s "$W/o.err" ]; then ok "modprobe -c | head -c 1: exit 1, nothing on stderr"
else bad "modprobe -c | head -c 1: exit $rc (141 is a death by SIGPIPE)"; head -n 3 "$W/o.err"; fi
for what in "modprobe -c" "depmod -n"; do
  if [ "$what" = "modprobe -c" ]; then
    timeout 20 "$MODPROBE" -d "$ref" -S "$KVER" -C "$W/big.conf" -c >/dev/full 2>"$W/o.err"
  else
    timeout 20 "$DEPMOD" -n -b "$ref" "$KVER" >/dev/full 2>"$W/o.err"
  fi
  rc=$?
  if [ $rc = 1 ] && grep -q "^${what% *}: ERROR: could not write standard output" "$W/o.err"; then
    ok "$what >/dev/full: exit 1, $(grep 'standard output' "$W/o.err")"
  else
    bad "$what >/dev/full: exit $rc"; head -n 3 "$W/o.err"
  fi
done

# ---- 2. overlapping runs ----------------------------------------------------
echo "2. overlapping depmod runs"
img=$B/images/amd64/lib/modules
deb=$(ls "$img" 2>/dev/null | head -n 1)
if [ -n "$deb" ]; then
  src=$(abs "$B/images/amd64") kv=$deb
else
  src=$ref kv=$KVER
fi
out=$W/overlap
"$DEPMOD" -b "$src" -o "$out.ref" "$kv" 2>/dev/null
fails=0
for try in 1 2 3; do
  for i in 1 2 3; do "$DEPMOD" -b "$src" -o "$out" "$kv" >/dev/null 2>"$W/ov$i.err" & done
  for i in 1 2 3; do wait %$i 2>/dev/null || true; done
  wait
  for i in 1 2 3; do
    if grep -q 'ERROR\|FATAL' "$W/ov$i.err"; then fails=$((fails + 1)); sed 's/^/        /' "$W/ov$i.err" | head -n 3; fi
  done
done
same=yes
for f in "$out.ref/lib/modules/$kv"/modules.*; do
  [ "$(basename "$f")" = modules.cache ] && continue
  cmp -s "$f" "$out/lib/modules/$kv/$(basename "$f")" || same=no
done
left=$(ls -A "$out/lib/modules/$kv" | grep -c '^\.mng-')
if [ $fails -eq 0 ] && [ $same = yes ] && [ "$left" -eq 0 ]; then
  ok "3 x 3 overlapping runs on $(basename "$src"): no error, one whole set, no temporary file left"
else
  bad "overlapping runs: $fails errors, same set: $same, $left temporary files left"
fi
# A run waits while the lock is held (here by flock(1), as by another run).
d=$out/lib/modules/$kv
flock "$d" sleep 2 &
sleep 0.3
t0=$(date +%s%N)
"$DEPMOD" -b "$src" -o "$out" "$kv" >/dev/null 2>"$W/lock.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
wait
if [ $rc -eq 0 ] && [ $ms -ge 1200 ] && grep -q 'waiting for another depmod' "$W/lock.err"; then
  ok "with the directory locked, depmod waited (${ms} ms) and succeeded: $(head -n 1 "$W/lock.err" | sed "s|$W/||")"
else
  bad "with the directory locked: exit $rc after ${ms} ms"; sed 's/^/        /' "$W/lock.err"
fi

# ---- 3. compression bombs and -j --------------------------------------------
echo "3. decompression memory and threads"
t=$W/bombs
make_tree "$t"
m=$t/lib/modules/$KVER
head -c 1073741824 /dev/zero | zstd -q -1 -c >"$W/bomb.zst"
for i in 1 2 3 4 5 6 7 8; do cp "$W/bomb.zst" "$m/kernel/test/bomb$i.ko.zst"; done
for j in 1 2 8; do
  timed "$W/o" "$DEPMOD" -j $j -b "$t" "$KVER" >/dev/null 2>"$W/o.err"
  rc=$? kib=$(peak_kib "$W/o.rss")
  n=$(grep -c 'bomb.*decompressed size exceeds 96 MiB' "$W/o.err")
  if [ $rc -eq 0 ] && [ "$kib" -lt 262144 ] && [ "$n" -eq 8 ]; then
    ok "depmod -j $j, 8 modules of 1 GiB of zeros: exit 0, peak RSS $((kib / 1024)) MiB, 8 messages"
  else
    bad "depmod -j $j with bombs: exit $rc, peak RSS $kib KiB, $n messages"; sed 's/^/        /' "$W/o.err" | head -n 4
  fi
done
MNG_DEPMOD_JOBS=1 "$DEPMOD" -b "$t" "$KVER" >/dev/null 2>&1 && ok "MNG_DEPMOD_JOBS=1 runs" || bad "MNG_DEPMOD_JOBS=1"
for v in 0 x 2000 ''; do
  if "$DEPMOD" -j "$v" -b "$t" "$KVER" >/dev/null 2>"$W/o.err"; then
    bad "depmod -j '$v' accepted"
  else
    ok "depmod -j '$v' refused: $(head -n 1 "$W/o.err")"
  fi
done

# ---- 4. modprobe path operands -----------------------------------------------
echo "4. modprobe path operands"
printf 'not a module\n' >"$W/plain-file"
cp "$MODS/mod_a.ko" "$W/direct.ko"
for p in /dev/zero / /etc "$W/fifo.conf" "$W/plain-file"; do
  timeout 10 "$MODPROBE" -d "$ref" -S "$KVER" -n -v "$p" >"$W/o.out" 2>"$W/o.err"
  rc=$?
  if [ $rc -eq 1 ] && [ ! -s "$W/o.out" ] && grep -q "Module $p not found in directory" "$W/o.err"; then
    ok "modprobe -n $p: $(sed "s|$W/||g" "$W/o.err")"
  else
    bad "modprobe -n $p: exit $rc, printed: $(cat "$W/o.out" "$W/o.err")"
  fi
done
if "$MODPROBE" -d "$ref" -S "$KVER" -n -v "$W/direct.ko" 2>&1 | grep -q "^insmod $W/direct.ko"; then
  ok "modprobe -n FILE.ko still inserts a module file named by path"
else
  bad "modprobe -n FILE.ko no longer inserts it"
fi

# ---- 5. a directory loop in the tree -------------------------------------------
echo "5. directory loops"
t=$W/loop
make_tree "$t"
m=$t/lib/modules/$KVER
ln -s . "$m/kernel/test/loop"
mkdir -p "$m/kernel/deep/er"
ln -s ../.. "$m/kernel/deep/er/up"
timeout 20 "$DEPMOD" -b "$t" "$KVER" >/dev/null 2>"$W/o.err"
rc=$?
nwarn=$(grep -c 'directory loop' "$W/o.err")
same=yes
for f in modules.dep modules.alias modules.symbols modules.dep.bin; do
  cmp -s "$m/$f" "$ref/lib/modules/$KVER/$f" || same="no ($f)"
done
if [ $rc -eq 0 ] && [ "$nwarn" -eq 2 ] && [ "$same" = yes ]; then
  ok "two loops: exit 0, one warning each, outputs as without them: $(grep 'directory loop' "$W/o.err" | head -n 1 | sed "s|$W/||g")"
else
  bad "loops: exit $rc, $nwarn warnings, outputs the same: $same"; sed 's/^/        /' "$W/o.err" | head -n 5 | cut -c1-300
fi

# ---- 7. durability ---------------------------------------------------------------
echo "7. flushing before publishing"
t=$W/sync
make_tree "$t"
strace -f -qq -e trace=fdatasync,fsync,renameat,renameat2,rename -o "$W/strace" "$DEPMOD" -b "$t" "$KVER" 2>/dev/null
# Calls in order: D (data flushed), J (journal renamed), R (a file of the set
# renamed), S (directory flushed).
seq=$(sed -n 's/.*\(fdatasync\|fsync\)(.*/\1/p; s/.*rename[at2]*(.*"\.mng-journal").*/J/p; t; s/.*rename[at2]*(.*"[^"]*").*/R/p' "$W/strace" |
      sed 's/^fdatasync$/D/; s/^fsync$/S/' | tr -d '\n')
# Every file of the set (the outputs, and whatever else it holds) is renamed once.
nfiles=$(printf '%s' "$seq" | tr -cd R | wc -c)
want=$(i=0; while [ $i -le "$nfiles" ]; do printf D; i=$((i + 1)); done; printf JS; i=0; while [ $i -lt "$nfiles" ]; do printf R; i=$((i + 1)); done; printf S)
if [ "$seq" = "$want" ]; then
  ok "$nfiles files + journal flushed, journal renamed, directory flushed, $nfiles renames, directory flushed"
else
  bad "system call order: $seq (want $want)"
fi

finish check-reliability
