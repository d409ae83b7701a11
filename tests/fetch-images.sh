#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetches Debian's amd64 and armhf (armmp) kernel image packages and unpacks
# their module trees into $B/images/<arch>/, the real-world input for the
# conformance checks and benchmarks.
#
# The .debs are kept in MNG_CACHE (default /var/cache/modutils-ng-test)
# between runs, and an unpacked tree is reused while it comes from the same
# .deb.  Without network the newest cached .deb of each flavour is used.
#
# Prints one line per tree: "<arch> <kernel version> <tree dir>".
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
CACHE=${MNG_CACHE:-/var/cache/modutils-ng-test}
mkdir -p "$CACHE" "$B/images"
# The armhf image comes from the armhf package index.
sh tests/setup-pkgs.sh --why "Debian's armhf kernel image" armhf:arch >&2 || true

say() { echo "fetch-images: $*" >&2; }

# The real package behind a metapackage, e.g. linux-image-6.1.0-56-amd64.
real_package() {
  apt-cache depends "$1" 2>/dev/null |
    sed -n 's/^ *Depends: *\(linux-image-[^ :<>]*\).*/\1/p' | head -n 1
}

candidate_version() {
  apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | head -n 1
}

# fetch ARCH METAPACKAGE FLAVOUR: prints the path of the .deb to use.
fetch() {
  arch=$1 meta=$2 flavour=$3
  pkg=$(real_package "$meta")
  deb=
  if [ -n "$pkg" ]; then
    ver=$(candidate_version "$pkg:$arch")
    if [ -n "$ver" ] && [ "$ver" != "(none)" ]; then
      # Debian file names encode an epoch colon as %3a.
      fver=$(printf '%s' "$ver" | sed 's/:/%3a/')
      deb="$CACHE/${pkg}_${fver}_${arch}.deb"
      if [ ! -s "$deb" ]; then
        say "downloading $pkg:$arch $ver into $CACHE"
        if ! (cd "$CACHE" && apt-get download -q "$pkg:$arch=$ver" >&2); then
          say "download of $pkg:$arch failed"
          deb=
        fi
      fi
    fi
  fi
  if [ -z "$deb" ] || [ ! -s "$deb" ]; then
    # Offline or an unknown metapackage: fall back to the newest cached one.
    deb=$(ls "$CACHE"/linux-image-*-"${flavour}"_*_"${arch}".deb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$deb" ] || { say "no $meta package available for $arch (apt-get update? dpkg --add-architecture $arch?)"; return 1; }
    say "using cached $(basename "$deb")"
  fi
  printf '%s\n' "$deb"
}

# unpack ARCH DEB: unpacks into $B/images/ARCH unless already done for DEB.
unpack() {
  arch=$1 deb=$2
  dir="$B/images/$arch"
  stamp="$B/images/$arch.stamp"
  id="$(basename "$deb") $(stat -c '%s %Y' "$deb")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ] && [ -d "$dir/lib/modules" ]; then
    return 0
  fi
  say "unpacking $(basename "$deb") into $dir"
  rm -rf "$dir" "$stamp"
  mkdir -p "$dir"
  dpkg-deb -x "$deb" "$dir"
  printf '%s\n' "$id" >"$stamp"
}

status=0
for spec in "amd64 linux-image-amd64 amd64" "armhf linux-image-armmp:armhf armmp"; do
  set -- $spec
  if deb=$(fetch "$1" "$2" "$3") && unpack "$1" "$deb"; then
    kver=$(ls "$B/images/$1/lib/modules" | head -n 1)
    n=$(find "$B/images/$1/lib/modules/$kver" -name '*.ko*' | wc -l)
    echo "$1 $kver $B/images/$1/lib/modules/$kver ($n modules)"
  else
    status=1
  fi
done
exit $status
