#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped binaries carry no test double: no symbol of the simulated
# kernel (tests/sim_kernel.h) in depmod or modprobe, while the unit-test
# binary, when built, does have it (so the check can fail).
# Env: B (build dir, default build).  Exits non-zero if any check fails.
set -u
cd "$(dirname "$0")/.." || exit 1
B=${B:-build}
fail=0
for tool in depmod modprobe; do
  bin=$B/$tool
  if [ ! -x "$bin" ]; then
    echo "FAIL: $bin not built"
    fail=1
    continue
  fi
  hits=$(nm -C "$bin" | grep -ci 'simkernel')
  if [ "$hits" -ne 0 ]; then
    echo "FAIL: $bin has $hits simulated-kernel symbols"
    nm -C "$bin" | grep -i 'simkernel' | head -5
    fail=1
  else
    echo "ok: $bin has no simulated-kernel symbol"
  fi
done
if [ -x "$B/unit_tests" ]; then
  if nm -C "$B/unit_tests" | grep -q 'mng::SimKernel::'; then
    echo "ok: $B/unit_tests has the simulated kernel"
  else
    echo "FAIL: $B/unit_tests lacks mng::SimKernel (the pattern above would miss it)"
    fail=1
  fi
else
  echo "SKIP: $B/unit_tests not built, pattern not cross-checked"
fi
exit $fail
