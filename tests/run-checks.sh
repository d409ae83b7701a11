#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the shell checks, each with `sh` and env B (build dir, default
# build), and gives one line per script:
#   PASS check-index (19s)
#   SKIP check-deb (0s): needs root ...          (exit 0, but a SKIP line)
#   FAIL check-man (exit 1, 2s), log build/checks/check-man.log
# followed, for a failure, by the last lines of its log.  A script's own
# output (stdout and stderr) goes to $B/checks/<name>.log only.  The last
# line is the verdict: "N passed, N failed, N skipped", naming the failed
# and the skipped scripts.  Exits non-zero if any failed; a skipped script
# is never counted as passed.
#
# A script that exits 0 but printed a line starting with SKIP (its own or
# one of its sub-checks) is reported as skipped, with its first SKIP line.
#
# Which scripts:
#   --quick   every tests/check-*.sh not in the long list, then
#             tests/conformance.sh (`make check`);
#   --long    the long list (`make check-long`);
#   --all     both (the default without arguments);
#   NAME...   the scripts given (paths or names, e.g. check-man.sh).
# With --list first, only prints the scripts that would run.
# The long list is MNG_LONG_CHECKS, by default the ones that build the
# whole project once more: the sanitizer build (check-asan, about 20
# minutes on two busy cores), the Debian package (check-deb), the fuzz
# smoke run (check-fuzz-smoke, clang, about 4 minutes), the armhf
# static build run under qemu (check-static-arm) and the x86-64 static
# build's size limit (check-static-size); and the comparison with Debian
# 13's kmod 34.2 (check-kmod34), which downloads it.  Everything else stays
# within `make check`'s budget of a few minutes; a new tests/check-NAME.sh
# is in the quick set without further ado.
#
# Env: MNG_CHECK_VERBOSE=1 also copies each script's output to the
# terminal; MNG_CHECK_TIMEOUT (seconds, default 3600) stops a script that
# hangs (it then fails); MNG_CHECK_TAIL (default 25) is how many lines of
# a failed script's log are shown.
set -u
cd "$(dirname "$0")/.." || exit 1
B=${B:-build}
export B
LONG=${MNG_LONG_CHECKS:-check-asan check-deb check-fuzz-smoke check-kmod34 check-static-arm check-static-size}
TIMEOUT=${MNG_CHECK_TIMEOUT:-3600}
TAIL=${MNG_CHECK_TAIL:-25}

is_long() {
  for _l in $LONG; do [ "$1" = "$_l" ] && return 0; done
  return 1
}

# select quick|long|all: the scripts of that set, in name order.
select_set() {
  for _s in $(ls tests/check-*.sh 2>/dev/null | LC_ALL=C sort); do
    _n=$(basename "$_s" .sh)
    case $1 in
    quick) is_long "$_n" || echo "$_s" ;;
    long) is_long "$_n" && echo "$_s" ;;
    all) echo "$_s" ;;
    esac
  done
  [ "$1" = long ] || echo tests/conformance.sh
}

list_only=
[ "${1:-}" != --list ] || { list_only=1; shift; }
set_name=all
case ${1:-} in
--quick) set_name=quick; shift ;;
--long) set_name=long; shift ;;
--all) shift ;;
esac
if [ $# -gt 0 ]; then
  scripts=
  for s in "$@"; do
    [ -f "$s" ] || s=tests/$s
    [ -f "$s" ] || s=$s.sh
    scripts="$scripts $s"
  done
else
  scripts=$(select_set "$set_name")
fi
[ $# -eq 0 ] || set_name=given
if [ -n "$list_only" ]; then
  printf '%s\n' $scripts
  exit 0
fi

logdir=$B/checks
mkdir -p "$logdir"
passed=0 failed=0 skipped=0 failed_names="" skipped_names=""
set -- $scripts
case $set_name in
quick) label="make check's set; the long ones, $LONG, are make check-long's" ;;
long) label="the long ones" ;;
all) label="all" ;;
*) label="as named" ;;
esac
echo "run-checks: $# scripts ($label); their output goes to $logdir/NAME.log"
t_start=$(date +%s)
for s in $scripts; do
  name=$(basename "$s" .sh)
  log=$logdir/$name.log
  t0=$(date +%s)
  if [ ! -f "$s" ]; then
    echo "no such check: $s" >"$log"
    rc=127
  else
    # In the background, so that an interrupt here can stop it: timeout
    # runs the script in a process group of its own, which the terminal's
    # Ctrl-C does not reach.
    timeout -k 30 "$TIMEOUT" sh "$s" </dev/null >"$log" 2>&1 &
    pid=$!
    trap 'kill -TERM $pid 2>/dev/null; echo "interrupted: $name"; exit 130' INT TERM
    [ "${MNG_CHECK_VERBOSE:-}" != 1 ] || tail -n +1 -f --pid=$pid "$log" &
    wait $pid
    rc=$?
    trap - INT TERM
    wait
  fi
  secs=$(($(date +%s) - t0))
  first_skip=$(grep -m 1 '^ *SKIP\b' "$log" | sed 's/^ *SKIP[: ]*//; s/  */ /g')
  nskip=$(grep -c '^ *SKIP\b' "$log")
  if [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
    failed_names="$failed_names $name"
    case $rc in 124 | 137) why="stopped after ${TIMEOUT}s" ;; *) why="exit $rc" ;; esac
    echo "FAIL $name ($why, ${secs}s), log $log"
    tail -n "$TAIL" "$log" | sed 's/^/    | /'
  elif [ "$nskip" -gt 0 ]; then
    skipped=$((skipped + 1))
    skipped_names="$skipped_names $name"
    more=
    [ "$nskip" -eq 1 ] || more=" (and $((nskip - 1)) more SKIP lines in $log)"
    echo "SKIP $name (${secs}s): $first_skip$more"
  else
    passed=$((passed + 1))
    echo "PASS $name (${secs}s)"
  fi
done

verdict="$passed passed, $failed failed, $skipped skipped"
[ -z "$failed_names" ] || verdict="$verdict; failed:$failed_names"
[ -z "$skipped_names" ] || verdict="$verdict; skipped (not passed):$skipped_names"
echo "$verdict ($(($(date +%s) - t_start))s, logs in $logdir)"
[ "$failed" -eq 0 ]
