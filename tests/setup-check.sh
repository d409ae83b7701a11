#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make check` and `make check-long` need beyond the build
# dependencies (./setup.sh): Catch2 for the unit tests, libelf for the
# second module reader the checks compare with, Debian's kmod (the
# reference) and the compressors the tests use on modules.  Idempotent.
#
# The checks with needs of their own install them when they run, through
# tests/setup-pkgs.sh (tests/lib.sh: need_pkgs): the test modules
# linux-headers-amd64 (tests/build-modules.sh), Debian's armhf image the
# armhf architecture (tests/fetch-images.sh), check-vm qemu-system-x86,
# busybox-static and cpio, check-man man-db and groff-base, check-depmod-at,
# check-shellmeta, check-killsafe and check-reliability strace (and time),
# check-deb debhelper and lintian (tests/setup-deb.sh), check-fuzz-smoke clang and
# libclang-rt-14-dev, check-static-arm qemu-user-static and the armhf cross
# compiler (tests/setup-cross.sh), bench.sh time.
set -e
exec sh "$(dirname "$0")/setup-pkgs.sh" --why "unit tests and reference tools" \
  catch2 libelf-dev kmod xz-utils zstd gzip binutils
