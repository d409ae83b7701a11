#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests (build/unit_tests, Catch2), every case but the hidden ones
# (tagged [.NAME]: tests/check-kmod-reference.sh runs those that compare
# with kmod, tests/check-index.sh the [.index-tree] ones), on the test
# modules.  A case that skipped itself makes a SKIP line.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
run_unit_tests
