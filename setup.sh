#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages that building depmod and modprobe needs
# (`make`): the compiler, make and the libraries, nothing else.
# Idempotent: packages already present are left alone.
#
# The checks install what they use themselves, through the same installer
# (tests/setup-pkgs.sh): `make check` the unit-test and reference tools
# (tests/setup-check.sh), and each script that needs more its own, e.g.
# check-vm.sh qemu and busybox, check-fuzz-smoke.sh clang.
set -e
cd "$(dirname "$0")"
exec sh tests/setup-pkgs.sh --why "build dependencies" g++ make \
  libboost-program-options-dev libboost-dev zlib1g-dev liblzma-dev libzstd-dev libssl-dev
