#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepares a cross build for `make static CROSS_COMPILE=TRIPLE-`:
#  - installs Debian's cross compiler for TRIPLE (g++-TRIPLE) if missing;
#  - unpacks the target architecture's static libraries and headers for
#    Boost.Program_options, zlib, liblzma and libzstd into SYSROOT.
# The target packages are fetched with `apt-get download` into
# MNG_CACHE/cross-ARCH (default /var/cache/modutils-ng-test) and unpacked
# with dpkg-deb, not installed: multiarch -dev packages must carry exactly
# the host's versions, which breaks whenever the host has a security
# update the target architecture's index does not list.
#
# usage: setup-cross.sh TRIPLE SYSROOT      e.g. arm-linux-gnueabihf build/sysroot-arm-linux-gnueabihf
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TRIPLE SYSROOT" >&2; exit 2; }
triple=$1 sysroot=$2
CACHE=${MNG_CACHE:-/var/cache/modutils-ng-test}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
say() { echo "setup-cross: $*" >&2; }

setup_pkgs() { sh "$(dirname "$0")/setup-pkgs.sh" --why "cross build for $triple" "$@" >&2; }

setup_pkgs dpkg-dev
arch=$(dpkg-architecture -t "$triple" -qDEB_HOST_ARCH 2>/dev/null) ||
  { say "unknown target triple $triple"; exit 1; }

# Debian spells the x86_64 toolchain package with dashes only.
cxx_pkg="g++-$(printf '%s' "$triple" | tr _ -)"
setup_pkgs "$cxx_pkg"

# The versioned Boost packages behind the host's unversioned -dev ones,
# so the target gets the same Boost release.
real_dev() {
  dpkg-query -W -f='${Depends}' "$1" 2>/dev/null | sed 's/[ ,(].*//'
}
boost_po=$(real_dev libboost-program-options-dev)
boost_hdr=$(real_dev libboost-dev)
[ -n "$boost_po" ] && [ -n "$boost_hdr" ] ||
  { say "libboost-program-options-dev / libboost-dev not installed on the host (run ./setup.sh)"; exit 1; }
pkgs="zlib1g-dev liblzma-dev libzstd-dev $boost_po $boost_hdr"

setup_pkgs "$arch:arch"

debs="$CACHE/cross-$arch"
mkdir -p "$debs"
updated=
for p in $pkgs; do
  ls "$debs/${p}_"*"_$arch.deb" >/dev/null 2>&1 && continue
  if [ -z "$updated" ] && ! apt-cache show "$p:$arch" >/dev/null 2>&1; then
    # The target's package index may not have been fetched yet; a failing
    # suite (e.g. a security index mid-sync) is fine, the main one suffices.
    $SUDO apt-get update || true
    updated=1
  fi
  say "downloading $p:$arch into $debs"
  (cd "$debs" && apt-get download -q "$p:$arch" >&2) ||
    { say "cannot download $p:$arch"; exit 1; }
done

rm -rf "$sysroot"
mkdir -p "$sysroot"
for p in $pkgs; do
  deb=$(ls "$debs/${p}_"*"_$arch.deb" | sort -V | tail -n 1)
  dpkg-deb -x "$deb" "$sysroot"
done
for lib in libboost_program_options libz liblzma libzstd; do
  [ -f "$sysroot/usr/lib/$triple/$lib.a" ] || { say "$lib.a missing from the $arch packages"; exit 1; }
done
: >"$sysroot/.complete"
say "sysroot for $triple ready in $sysroot"
