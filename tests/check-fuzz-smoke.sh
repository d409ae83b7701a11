#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A short run of every libFuzzer harness in fuzz/ (`make fuzz-smoke`,
# FUZZ_SMOKE_SECONDS each, default 10), built with clang into $B/fuzz.
# Fails if a harness finds a crash, a hang, a leak or a sanitizer report;
# the input is then in $B/fuzz/crashes/.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
CXX_FUZZ=${FUZZ_CXX:-clang++}
[ -n "${FUZZ_CXX:-}" ] || need_pkgs clang libclang-rt-14-dev
# libFuzzer's runtime comes with libclang-rt-14-dev, not with clang itself.
if ! command -v "$CXX_FUZZ" >/dev/null ||
   [ ! -f "$("$CXX_FUZZ" --print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-x86_64.a" ]; then
  echo "SKIP check-fuzz-smoke: no $CXX_FUZZ with libFuzzer (clang and libclang-rt-14-dev)"
  exit 0
fi
make_check check-fuzz-smoke fuzz-smoke
