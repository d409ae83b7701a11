#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every tests/check-*.sh (in name order) and then tests/conformance.sh,
# each with `sh` and env B (build dir, default build), prints PASS/FAIL per
# script and a final "N passed, N failed" line.  Exits non-zero if any failed.
# Lines a script prints starting with SKIP are counted and shown beside its
# PASS, so a partly skipped script is not mistaken for a full pass.
#
# Optional arguments: a subset of scripts to run (paths or names).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
export B

if [ $# -gt 0 ]; then
  scripts=
  for s in "$@"; do
    [ -f "$s" ] || s=tests/$s
    scripts="$scripts $s"
  done
else
  scripts="$(ls tests/check-*.sh 2>/dev/null | LC_ALL=C sort) tests/conformance.sh"
fi

# Each script's output is also kept in $B/checks/<name>.log.
logdir=$B/checks
mkdir -p "$logdir"
passed=0 failed=0 failed_names=
for s in $scripts; do
  echo "=== $s"
  t0=$(date +%s)
  log=$logdir/$(basename "$s" .sh).log
  { sh "$s"; echo $? >"$log.rc"; } 2>&1 | tee "$log"
  rc=$(cat "$log.rc")
  secs=$(( $(date +%s) - t0 ))
  # A passing script that skipped some of its checks must not look clean.
  nskip=$(grep -c '^ *SKIP\b' "$log")
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    if [ "$nskip" -gt 0 ]; then
      echo "PASS $s (${secs}s) -- but $nskip checks SKIPPED"
    else
      echo "PASS $s (${secs}s)"
    fi
  else
    failed=$((failed + 1))
    failed_names="$failed_names $s"
    echo "FAIL $s (exit $rc, ${secs}s)"
  fi
done

[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
