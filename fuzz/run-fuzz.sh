#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs libFuzzer harnesses for a bounded time each.
# Usage: run-fuzz.sh FUZZ_DIR SECONDS "EXTRA LIBFUZZER ARGS" NAME...
#   FUZZ_DIR/fuzz_NAME   the harness
#   FUZZ_DIR/seeds/NAME  seed corpus (read only)
#   fuzz/corpus/NAME     the corpus kept in the repository (read only)
#   FUZZ_DIR/corpus/NAME working corpus: new inputs are added here and kept
#                        for the next run
#   FUZZ_DIR/crashes/    crashing inputs (NAME-crash-..., NAME-timeout-...)
#   FUZZ_DIR/logs/NAME.log
# A dictionary fuzz/NAME.dict is used when present, and the libFuzzer
# options in fuzz/NAME.args (e.g. -max_len).  Prints one summary
# line per harness; exits 1 if any harness crashed, timed out or leaked.
set -u
cd "$(dirname "$0")/.."
dir=$1 secs=$2 extra=$3
shift 3
# Absolute: a harness may change its working directory (fuzz_legacy does).
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
mkdir -p "$dir/crashes" "$dir/logs"
status=0
for name in "$@"; do
  bin=$dir/fuzz_$name
  corpus=$dir/corpus/$name
  seeds=$dir/seeds/$name
  log=$dir/logs/$name.log
  mkdir -p "$corpus" "$seeds"
  set --
  [ -f "fuzz/$name.dict" ] && set -- "-dict=fuzz/$name.dict"
  # shellcheck disable=SC2046
  [ -f "fuzz/$name.args" ] && set -- "$@" $(cat "fuzz/$name.args")
  kept=
  [ -d "fuzz/corpus/$name" ] && kept=$(pwd)/fuzz/corpus/$name
  t0=$(date +%s)
  # -timeout: one input taking this long is a hang worth reporting.
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/$name-" "$@" $extra "$corpus" "$seeds" $kept >"$log" 2>&1
  rc=$?
  t=$(( $(date +%s) - t0 ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $name: ok, ${runs:-?} execs in ${t}s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files"
  else
    status=1
    echo "fuzz $name: FAILED (exit $rc after ${t}s); log $log"
    grep -E 'ERROR: |SUMMARY: |invariant broken|runtime error|Test unit written' "$log" | head -n 20 | sed 's/^/    /'
  fi
done
exit $status
