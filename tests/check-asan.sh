#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole project built with AddressSanitizer and UndefinedBehaviorSanitizer
# (`make check-asan`, see mk/hardening.mk): the unit tests and the shell
# checks listed in ASAN_CHECKS run on the sanitized depmod and modprobe;
# any sanitizer report fails.  The build goes to $B-asan.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
if [ "${MNG_IN_ASAN:-}" = 1 ]; then
  echo "check-asan: already running under check-asan; not nesting"
  exit 0
fi
make_check check-asan check-asan
