#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The size of the static x86-64 build: builds the static multi-call
# program, strips it and requires it to be at most its limit, then checks
# it runs (-V) under each tool name it answers to.
#
# Env (all optional):
#   STATIC_SIZE_BINARIES  binaries under $B/static to check
#                         (default: modutils-ng)
#   STATIC_SIZE_LIMIT     the limit in bytes for each of them
#                         (default 2621440, 2.5 MiB)
# `make size-report` shows where the bytes go when a limit is exceeded.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MAKE=${MAKE:-make}
BINARIES=${STATIC_SIZE_BINARIES:-modutils-ng}
LIMIT=${STATIC_SIZE_LIMIT:-2621440}
dir=$B/static
mng_tmpdir tmp check-static-size

targets=
for b in $BINARIES; do targets="$targets $dir/$b"; done
# shellcheck disable=SC2086
if $MAKE -s B="$B" $targets >"$tmp/build.log" 2>&1; then
  ok "make static built:$targets"
else
  tail -n 20 "$tmp/build.log"
  bad "make static failed"
  finish check-static-size
fi

for b in $BINARIES; do
  bin=$dir/$b
  limit=$LIMIT
  strip -o "$tmp/stripped" "$bin"
  size=$(wc -c <"$tmp/stripped")
  if [ "$size" -le "$limit" ]; then
    ok "$b: $size bytes stripped, limit $limit"
  else
    bad "$b: $size bytes stripped, over the limit of $limit (see make size-report)"
  fi
  if readelf -l "$bin" | grep -q INTERP; then
    bad "$b is dynamically linked"
  fi
  # The multi-call program runs as the tool it is called by.
  case $(basename "$b") in
    modutils-ng) names="depmod modprobe insmod rmmod lsmod modinfo" ;;
    *) names=$(basename "$b") ;;
  esac
  for name in $names; do
    ln -sf "$(abs "$bin")" "$tmp/$name"
    if "$tmp/$name" -V >"$tmp/v.out" 2>&1 && grep -q "modutils-ng $name version" "$tmp/v.out"; then
      ok "$b runs as $name: $(head -n 1 "$tmp/v.out")"
    else
      bad "$b -V as $name: $(head -n 3 "$tmp/v.out")"
    fi
    rm -f "$tmp/$name"
  done
done
finish check-static-size
