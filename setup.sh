#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages modutils-ng needs to build and test.
# Idempotent: packages already present are left alone.
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS="g++ make pkg-config libelf-dev libssl-dev libboost-program-options-dev libboost-dev \
catch2 zlib1g-dev liblzma-dev libzstd-dev kmod linux-headers-amd64 \
dpkg-dev xz-utils zstd gzip time \
qemu-system-x86 busybox-static cpio man-db groff-base \
clang libclang-rt-14-dev binutils strace"
missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
  $SUDO dpkg --add-architecture armhf
  need_update=1
fi
if [ -n "$missing" ] || [ -n "${need_update:-}" ]; then
  # The security suite's armhf index may fail to fetch; the main archive is enough.
  $SUDO apt-get update || true
fi
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
