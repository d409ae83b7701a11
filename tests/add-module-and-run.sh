#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# For tests/bench-cache.sh: add-module-and-run.sh MODULE DIR DEPMOD ARGS...
# copies MODULE into DIR afresh (a new file, as a DKMS build installs one)
# and runs DEPMOD ARGS.
set -u
mod=$1 dir=$2
shift 2
mkdir -p "$dir"
rm -f "$dir/$(basename "$mod")"
cp "$mod" "$dir/"
exec "$@"
