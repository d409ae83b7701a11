#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian 13's kmod (34.2), the reference for --index-layout=kmod34, run
# on this Debian 12 machine without installing it: apt-get downloads
# kmod and the libraries it links (their own glibc included) from the
# trixie suite, with a private apt state (signatures checked against
# debian-archive-keyring, which holds the trixie keys), into
# $MNG_CACHE/kmod34; they are unpacked into $B/kmod34/root and the
# wrappers $B/kmod34/depmod and $B/kmod34/modprobe start kmod through
# trixie's own ld.so.  Prints the directory of the wrappers; fails
# (exit 1, one line on stderr) when the packages cannot be had.
# Env: B, MNG_CACHE, MNG_KMOD34_MIRROR (default http://deb.debian.org/debian).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MIRROR=${MNG_KMOD34_MIRROR:-http://deb.debian.org/debian}
PKGS="kmod libkmod2 libc6 liblzma5 libzstd1 libssl3t64 zlib1g"
C=$MNG_CACHE/kmod34
O=$BABS/kmod34
R=$O/root
LIB=$R/usr/lib/x86_64-linux-gnu
say() { echo "fetch-kmod34: $*" >&2; }
[ "$(dpkg --print-architecture)" = amd64 ] || { say "needs an amd64 host"; exit 1; }

if [ ! -f "$C/stamp" ]; then
  A=$C/apt
  rm -rf "$C"
  mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/etc" || exit 1
  : >"$A/status"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" >"$A/etc/sources.list"
  set -- -q -o Dir::State="$A" -o Dir::State::Lists="$A/lists" -o Dir::State::status="$A/status" \
    -o Dir::Cache="$A" -o Dir::Etc::sourcelist="$A/etc/sources.list" -o Dir::Etc::sourceparts=- \
    -o APT::Architecture=amd64 -o APT::Architectures=amd64
  say "downloading Debian 13's $PKGS into $C"
  apt-get "$@" update >"$C/apt.log" 2>&1 &&
    (cd "$C" && apt-get "$@" download $PKGS >>"$C/apt.log" 2>&1) ||
    { say "apt-get failed (log $C/apt.log)"; exit 1; }
  rm -rf "$A"
  touch "$C/stamp"
fi

if [ ! -f "$O/stamp" ] || [ "$C/stamp" -nt "$O/stamp" ]; then
  rm -rf "$O"
  mkdir -p "$R"
  for d in "$C"/*.deb; do dpkg-deb -x "$d" "$R" || { say "cannot unpack $d"; exit 1; }; done
  for t in depmod modprobe; do
    cat >"$O/$t" <<EOF
#!/bin/sh
exec $LIB/ld-linux-x86-64.so.2 --library-path $LIB --argv0 $t $R/usr/bin/kmod "\$@"
EOF
    chmod +x "$O/$t"
  done
  touch "$O/stamp"
fi
v=$("$O/depmod" -V 2>&1 | head -n 1)
case $v in
*"version 34"*) echo "$O" ;;
*) say "unexpected version from $O/depmod: $v"; exit 1 ;;
esac
