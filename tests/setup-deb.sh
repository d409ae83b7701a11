#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what building and checking the Debian package needs, on top of
# the build dependencies setup.sh installs: debhelper (dh, compat 13) and
# lintian.  Idempotent; run by tests/check-deb.sh, or by hand before
# `dpkg-buildpackage -us -uc -b`.
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS="debhelper lintian dpkg-dev fakeroot"
missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup-deb: installing$missing"
  $SUDO apt-get update || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
