#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests that compare with Debian's kmod (tagged [.kmod], left out
# of `make unit` and of the plain unit test run): depmod's text files,
# depmod.d priorities, -e reports, modules.order handling and the .bin
# index bytes against what kmod's depmod writes for the same tree; the ELF
# reader against kmod's modinfo and modprobe --show-*; modprobe.d, the
# kernel command line and -D lines against kmod's modprobe.  kmod must be
# installed (KMOD_DEPMOD, KMOD_MODPROBE; default /usr/sbin/...).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
if [ ! -x "$KMOD_DEPMOD" ]; then
  echo "SKIP check-kmod-reference: no kmod depmod at $KMOD_DEPMOD"
  exit 0
fi
need_testmods
[ -x "$B/unit_tests" ] || make -s B="$B" "$B/unit_tests" || exit 1
KMOD_DEPMOD=$KMOD_DEPMOD KMOD_MODPROBE=$KMOD_MODPROBE MNG_TESTMODS=$MODS "$B/unit_tests" "[.kmod]"
