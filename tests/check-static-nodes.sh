#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `kmod static-nodes` of the multi-call program against Debian's kmod:
# for the modules.devname our depmod writes for Debian's amd64 and armmp
# trees, all three formats (human, tmpfiles, devname) on standard output
# and with --output, byte for byte; and the messages and status for a
# missing file and for a file with a bad line.  Both programs read
# /lib/modules/$(uname -r)/modules.devname, so both run under the preload
# library that moves absolute paths into a private root
# (tests/relocate_preload.c).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
OURS=$BABS/modutils-ng
need_tool "$OURS" check-static-nodes
command -v kmod >/dev/null 2>&1 || { echo "check-static-nodes: Debian's kmod missing (run ./setup.sh)"; exit 1; }
if [ -n "${MNG_IN_ASAN:-}" ]; then
  echo "SKIP check-static-nodes: the preload library does not go with the sanitizer build"
  exit 0
fi
mng_tmpdir W check-static-nodes
cc -shared -fPIC -O1 -o "$W/relocate.so" tests/relocate_preload.c -ldl || { echo "FAIL cannot build the preload"; exit 1; }
KVER_HOST=$(uname -r)

# sn WHO ROOT ARGS...: WHO's static-nodes (ours or kmod) with ARGS, its
# absolute paths under ROOT.
sn() {
  _who=$1 _root=$2
  shift 2
  if [ "$_who" = ours ]; then
    MNG_RELOCATE_ROOT=$_root LD_PRELOAD=$W/relocate.so "$OURS" kmod static-nodes "$@"
  else
    MNG_RELOCATE_ROOT=$_root LD_PRELOAD=$W/relocate.so kmod static-nodes "$@"
  fi
}

# compare NAME ROOT ARGS...: both runs with ARGS, each under its own copy
# of ROOT (for --output): the same status, stdout, stderr and files.
compare() {
  name=$1 root=$2
  shift 2
  for who in ours kmod; do
    rm -rf "${W:?}/$who"
    cp -a "$root" "$W/$who"
    sn $who "$W/$who" "$@" >"$W/$who.out" 2>"$W/$who.err"
    echo $? >"$W/$who.rc"
    # kmod 30 writes standard output by the name /dev/stdout, which the
    # preload moves into the root.
    if [ -f "$W/$who/dev/stdout" ]; then
      cat "$W/$who/dev/stdout" >>"$W/$who.out"
      rm -f "$W/$who/dev/stdout"
      rmdir "$W/$who/dev" 2>/dev/null
    fi
  done
  if cmp -s "$W/ours.out" "$W/kmod.out" && cmp -s "$W/ours.err" "$W/kmod.err" &&
     cmp -s "$W/ours.rc" "$W/kmod.rc" && diff -r "$W/ours" "$W/kmod" >/dev/null; then
    ok "$name ($(wc -l <"$W/ours.out") lines, status $(cat "$W/ours.rc"))"
  else
    bad "$name: ours and kmod's differ:"
    diff "$W/ours.out" "$W/kmod.out" | head -n 5
    diff "$W/ours.err" "$W/kmod.err" | head -n 5
    echo "    status $(cat "$W/ours.rc") against $(cat "$W/kmod.rc")"
    diff -r "$W/ours" "$W/kmod" | head -n 5
  fi
}

trees=$(sh tests/fetch-images.sh 2>/dev/null)
for arch in amd64 armhf; do
  line=$(printf '%s\n' "$trees" | grep "^$arch " || true)
  if [ -z "$line" ]; then
    echo "SKIP check-static-nodes $arch: no Debian $arch kernel image (tests/fetch-images.sh failed)"
    continue
  fi
  # shellcheck disable=SC2086
  set -- $line
  kver=$2 tree=$3
  base=${tree%/lib/modules/$kver}
  "$DEPMOD" -b "$base" -o "$W/dep-$arch" "$kver" 2>"$W/depmod.err" || { bad "$arch: depmod failed: $(head -c 300 "$W/depmod.err")"; continue; }
  root=$W/root-$arch
  mkdir -p "$root/lib/modules/$KVER_HOST" "$root/run"
  cp "$W/dep-$arch/lib/modules/$kver/modules.devname" "$root/lib/modules/$KVER_HOST/"
  n=$(grep -vc '^#' "$root/lib/modules/$KVER_HOST/modules.devname")
  [ "$n" -gt 0 ] && ok "$arch $kver: modules.devname has $n entries" || bad "$arch: modules.devname is empty"
  compare "$arch default format" "$root"
  for f in human tmpfiles devname; do
    compare "$arch --format=$f" "$root" --format=$f
    compare "$arch -f $f --output" "$root" -f "$f" --output /run/tmpfiles.d/static-nodes.conf
    o=$W/ours/run/tmpfiles.d/static-nodes.conf
    [ -s "$o" ] && ok "$arch -f $f --output wrote $(wc -l <"$o") lines" || bad "$arch -f $f --output wrote nothing"
  done
done

# The messages: no modules.devname, a bad line among good ones, an
# unknown format, an output that cannot be made.
empty=$W/root-empty
mkdir -p "$empty/lib/modules/$KVER_HOST"
compare "no modules.devname" "$empty"
badf=$W/root-bad
mkdir -p "$badf/lib/modules/$KVER_HOST"
printf '# comment\nfuse fuse c10:229\nbroken\n\nsnd_timer snd/timer c116:33\nx y z1:2\n' \
  >"$badf/lib/modules/$KVER_HOST/modules.devname"
compare "a bad line" "$badf" --format=devname
compare "unknown format" "$badf" --format=nonsense
# An output whose directory is a file: both refuse, before writing.
# (kmod 30 gives errno 0's text as the reason, later kmod the real one.)
for who in ours kmod; do
  sn $who "$badf" --output "/lib/modules/$KVER_HOST/modules.devname/x" >"$W/$who.out" 2>"$W/$who.err"
  echo $? >"$W/$who.rc"
done
if [ "$(cat "$W/ours.rc")" = 1 ] && [ "$(cat "$W/kmod.rc")" = 1 ] &&
   grep -q "^Error: could not create parent directory for /lib/modules/$KVER_HOST/modules.devname/x - Not a directory\.\$" "$W/ours.err" &&
   grep -q "^Error: could not create parent directory for /lib/modules/$KVER_HOST/modules.devname/x - " "$W/kmod.err"; then
  ok "output under a file: status 1, kmod's message"
else
  bad "output under a file: ours $(cat "$W/ours.rc") $(cat "$W/ours.err"); kmod's $(cat "$W/kmod.rc") $(cat "$W/kmod.err")"
fi
finish check-static-nodes
