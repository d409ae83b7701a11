#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Makefile takes the packagers' CPPFLAGS, CXXFLAGS and LDFLAGS, from the
# command line or from the environment, and keeps its own flags
# (-std=c++20, -I., the release number) beside them.  Looks at the
# commands `make -n` would run; builds nothing.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MAKE=${MAKE:-make}

# has LINES PATTERN WHAT: WHAT names the failure.
has() { printf '%s\n' "$1" | grep -q -e "$2" && ok "${3%%:*}: has $2" || bad "$3"; }

for how in cmdline env; do
  if [ $how = cmdline ]; then
    out=$($MAKE -n -B B="$B-flagprobe" CPPFLAGS=-DMNG_PROBE_CPP CXXFLAGS=-DMNG_PROBE_CXX \
            LDFLAGS=-Wl,--mng-probe "$B-flagprobe/modutils-ng" 2>&1)
  else
    out=$(CPPFLAGS=-DMNG_PROBE_CPP CXXFLAGS=-DMNG_PROBE_CXX LDFLAGS=-Wl,--mng-probe \
            $MAKE -n -B B="$B-flagprobe" "$B-flagprobe/modutils-ng" 2>&1)
  fi
  compile=$(printf '%s\n' "$out" | grep -e ' -c tools/depmod_entry\.cc ')
  link=$(printf '%s\n' "$out" | grep -e " -o $B-flagprobe/modutils-ng ")
  has "$compile" '-DMNG_PROBE_CPP .*-DMNG_PROBE_CXX' "$how: compile lacks CPPFLAGS or CXXFLAGS: $compile"
  has "$compile" '-std=c++20 .*-I\. .*-DMNG_VERSION=' "$how: compile lost the project's flags: $compile"
  has "$link" '-Wl,--mng-probe' "$how: link lacks LDFLAGS: $link"
  has "$link" '-lboost_program_options' "$how: link lost the libraries: $link"
done
rm -rf "$B-flagprobe"

finish check-buildflags
