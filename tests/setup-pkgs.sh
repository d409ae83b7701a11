#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The one package installer of the set-up scripts: installs those of the
# Debian packages named on the command line that are not installed yet
# (apt-get update first, once, and only then), without recommends.
# Idempotent and silent when everything is present.  A name of the form
# ARCH:arch (e.g. armhf:arch) adds that dpkg architecture instead.
#
# usage: setup-pkgs.sh [--why TEXT] PKG|ARCH:arch ...
# Used by ./setup.sh (the build dependencies) and by the checks that need
# test-only packages (tests/lib.sh: need_pkgs).
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
why=''
if [ "${1:-}" = --why ]; then why=" ($2)"; shift 2; fi

missing='' arches=''
for p in "$@"; do
  case $p in
  *:arch)
    a=${p%:arch}
    [ "$a" = "$(dpkg --print-architecture)" ] ||
      dpkg --print-foreign-architectures | grep -qx "$a" || arches="$arches $a"
    ;;
  *)
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
    ;;
  esac
done
[ -n "$missing$arches" ] || exit 0

for a in $arches; do
  echo "setup: adding the dpkg architecture $a$why"
  $SUDO dpkg --add-architecture "$a"
done
# A failing suite (e.g. the security archive's armhf index mid-sync) must
# not stop the rest; the main archive is enough.
$SUDO apt-get update -q >/dev/null 2>&1 || echo "setup: apt-get update reported errors; going on with the indexes there are"
if [ -n "$missing" ]; then
  echo "setup: installing$missing$why"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
