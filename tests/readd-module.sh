#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# For tests/bench-cache.sh, run untimed before each timed depmod run:
# readd-module.sh MODULE DIR DEPMOD ARGS... removes DIR/MODULE's name, runs
# DEPMOD ARGS on the tree without it, then copies MODULE into DIR afresh
# (a new file, as a DKMS build installs one).  The timed run that follows
# is the first after the module was added.
set -u
mod=$1 dir=$2
shift 2
mkdir -p "$dir"
rm -f "$dir/$(basename "$mod")"
"$@" >/dev/null || exit 1
cp "$mod" "$dir/"
