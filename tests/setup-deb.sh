#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what building and checking the Debian package needs, on top of
# the build dependencies setup.sh installs: debhelper (dh, compat 13) and
# lintian.  Idempotent; run by tests/check-deb.sh, or by hand before
# `dpkg-buildpackage -us -uc -b`.
set -e
exec sh "$(dirname "$0")/setup-pkgs.sh" --why "Debian package" debhelper lintian dpkg-dev fakeroot
