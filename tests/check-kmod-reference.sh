#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests that compare with Debian's kmod (tagged [.kmod], left out
# of `make unit` and of the plain unit test run): depmod's text files,
# depmod.d priorities, -e reports, modules.order handling and the .bin
# index bytes against what kmod's depmod writes for the same tree; the ELF
# reader against kmod's modinfo and modprobe --show-*; modprobe.d, the
# kernel command line and -D lines against kmod's modprobe.  kmod must be
# installed (KMOD_DEPMOD, KMOD_MODPROBE; default /usr/sbin/...).
# MNG_ARMHF_DEB names the armhf kernel package (default: the one
# tests/fetch-images.sh unpacked).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
if [ ! -x "$KMOD_DEPMOD" ]; then
  echo "SKIP check-kmod-reference: no kmod depmod at $KMOD_DEPMOD"
  exit 0
fi
# The ELF32 case reads Debian's armhf kernel package, the one
# tests/fetch-images.sh downloaded (whatever its version); without it the
# case skips itself and says so.
if [ -z "${MNG_ARMHF_DEB:-}" ]; then
  sh tests/fetch-images.sh >/dev/null 2>&1 || true
  MNG_ARMHF_DEB=$(debian_deb armhf) && export MNG_ARMHF_DEB
fi
export KMOD_DEPMOD KMOD_MODPROBE
run_unit_tests "[.kmod]"
