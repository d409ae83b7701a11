#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks our tools against kmod's on Debian's amd64 module tree
# (fetched and unpacked by tests/fetch-images.sh when missing).
#
# Each row comes from bench_pair NAME CMD_KMOD CMD_OURS: after BENCH_WARMUP
# untimed-for-the-table runs of each, the two commands run BENCH_RUNS times
# alternately (kmod first on even rounds, ours first on odd ones, so neither
# always runs on the cache state the other left); the table shows median wall
# time (ms, from date +%s%N) and median peak RSS (KiB, GNU time's %M) and
# the ratios ours/kmod.  Commands are split into words like shell words and
# run without a shell in between (no pipes or redirections; paths must not
# contain spaces).
#
# More rows: put a tests/bench-<topic>.sh next to this file; it is sourced
# after the depmod row and may call bench_pair with these variables:
#   BENCH_KVER        kernel version of the tree
#   BENCH_KMOD_ROOT   a -b root whose module dir holds kmod's indexes
#   BENCH_OURS_ROOT   the same tree with our depmod's indexes
#   DEPMOD MODPROBE   our binaries; KMOD_DEPMOD KMOD_MODPROBE kmod's
#   W                 scratch dir ($B/bench)
#
# A row whose commands fail on purpose (a module that is not found) sets
# BENCH_ANY_RC=1 around its bench_pair call.  A row whose runs each need a
# set-up of their own sets BENCH_PREP_KMOD and BENCH_PREP_OURS (commands
# like CMD_KMOD and CMD_OURS) around it: run before each run of that side,
# untimed and unmeasured.
#
# Environment: B (build dir, default build), DEPMOD, MODPROBE, KMOD_DEPMOD,
# KMOD_MODPROBE, BENCH_RUNS (default 7), BENCH_WARMUP (default 2),
# BENCH_ARCH (default amd64).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
BENCH_RUNS=${BENCH_RUNS:-7}
BENCH_WARMUP=${BENCH_WARMUP:-2}
BENCH_ARCH=${BENCH_ARCH:-amd64}
TIME=/usr/bin/time
W=$BABS/bench
RESULTS=$W/results
bench_failed=0

need_pkgs time kmod
[ -x "$TIME" ] || { echo "bench: $TIME missing (Debian package time)" >&2; exit 1; }

now_us() { echo $(( $(date +%s%N) / 1000 )); }

# run_prep CMD: runs CMD (if any) untimed; a failure shows as the next
# run's.
run_prep() {
  [ -n "$1" ] || return 0
  (eval "set -- $1"; "$@" >/dev/null 2>"$W/prep.err") || cat "$W/prep.err" >&2
}

# prep_of kmod|ours: that side's BENCH_PREP_* command.
prep_of() { if [ "$1" = kmod ]; then echo "${BENCH_PREP_KMOD:-}"; else echo "${BENCH_PREP_OURS:-}"; fi; }

# run_once CMD [PREP]: runs PREP (see run_prep), then CMD once; sets
# run_us (wall, microseconds), run_kb (peak RSS) and run_rc.  stdout is
# discarded, stderr kept in $W/last.err.
run_once() {
  local t0 t1
  run_prep "${2:-}"
  eval "set -- $1"
  t0=$(now_us)
  "$TIME" -f '%M' -o "$W/last.rss" "$@" >/dev/null 2>"$W/last.err"
  run_rc=$?
  t1=$(now_us)
  run_us=$((t1 - t0))
  run_kb=$(tail -n 1 "$W/last.rss")
}

rc_ok() { [ "$run_rc" = 0 ] || [ -n "${BENCH_ANY_RC:-}" ]; }

# median FILE: median of the numbers in FILE, one per line.
median() {
  sort -n "$1" | awk '{ v[NR] = $1 }
    END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
          else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure SIDE NAME CMD: one timed run appended to the SIDE's sample files.
measure() {
  run_once "$3" "$(prep_of "$1")"
  if [ "$run_rc" != 0 ] && [ -z "${BENCH_ANY_RC:-}" ]; then
    echo "bench: '$2' ($1) failed with exit $run_rc: $3" >&2
    head -n 5 "$W/last.err" >&2
    return 1
  fi
  echo "$run_us" >>"$W/$1.us"
  echo "$run_kb" >>"$W/$1.kb"
}

# bench_pair NAME CMD_KMOD CMD_OURS: adds one row to the table.
bench_pair() {
  local name=$1 a=$2 b=$3 i
  printf 'bench: %s ' "$name" >&2
  rm -f "$W/kmod.us" "$W/kmod.kb" "$W/ours.us" "$W/ours.kb"
  i=0
  while [ $i -lt "$BENCH_WARMUP" ]; do
    if ! run_once "$a" "$(prep_of kmod)" || ! rc_ok || ! run_once "$b" "$(prep_of ours)" || ! rc_ok; then
      echo >&2
      echo "bench: '$name' failed during warm-up (exit $run_rc)" >&2
      head -n 5 "$W/last.err" >&2
      printf '%s|FAILED\n' "$name" >>"$RESULTS"
      bench_failed=1
      return 1
    fi
    i=$((i + 1))
  done
  i=0
  while [ $i -lt "$BENCH_RUNS" ]; do
    if [ $((i % 2)) = 0 ]; then
      measure kmod "$name" "$a" && measure ours "$name" "$b"
    else
      measure ours "$name" "$b" && measure kmod "$name" "$a"
    fi || { printf '%s|FAILED\n' "$name" >>"$RESULTS"; bench_failed=1; return 1; }
    printf '.' >&2
    i=$((i + 1))
  done
  echo >&2
  printf '%s|%s|%s|%s|%s\n' "$name" "$(median "$W/kmod.us")" "$(median "$W/ours.us")" \
    "$(median "$W/kmod.kb")" "$(median "$W/ours.kb")" >>"$RESULTS"
}

# Prints the table of all rows so far.
bench_report() {
  echo
  echo "median of $BENCH_RUNS runs after $BENCH_WARMUP warm-up runs; ratio = ours/kmod"
  awk -F'|' 'BEGIN {
      printf "%-34s %10s %10s %6s %10s %10s %6s\n", "benchmark", "kmod ms", "ours ms", "ratio", "kmod KiB", "ours KiB", "ratio"
    }
    $2 == "FAILED" { printf "%-34s FAILED\n", $1; next }
    { printf "%-34s %10.1f %10.1f %6.2f %10d %10d %6.2f\n", $1, $2 / 1000, $3 / 1000,
        ($2 > 0 ? $3 / $2 : 0), $4, $5, ($4 > 0 ? $5 / $4 : 0) }' "$RESULTS"
}

# copy_tree SRC_MODDIR DST_ROOT KVER: a copy whose module files are hardlinks
# and which holds no output files of earlier runs.
copy_tree() {
  local dst=$2/lib/modules/$3 e
  mkdir -p "$dst"
  for e in "$1"/*; do
    case $(basename "$e") in
      modules.order|modules.builtin|modules.builtin.modinfo) cp -p "$e" "$dst/" ;;
      modules.*) ;;
      *) cp -al "$e" "$dst/" ;;
    esac
  done
}

# --- main ---------------------------------------------------------------------

[ -x "$DEPMOD" ] || { echo "bench: $DEPMOD not built (make, or set DEPMOD)" >&2; exit 1; }
rm -rf "$W"
mkdir -p "$W"
: >"$RESULTS"

if ! ls -d "$BABS/images/$BENCH_ARCH/lib/modules/"* >/dev/null 2>&1; then
  B=$B sh tests/fetch-images.sh >&2 || exit 1
fi
BENCH_KVER=$(ls "$BABS/images/$BENCH_ARCH/lib/modules/" | head -n 1)
src=$BABS/images/$BENCH_ARCH/lib/modules/$BENCH_KVER
nmods=$(find "$src" -name '*.ko*' | wc -l)
BENCH_KMOD_ROOT=$W/kmod
BENCH_OURS_ROOT=$W/ours
copy_tree "$src" "$BENCH_KMOD_ROOT" "$BENCH_KVER"
copy_tree "$src" "$BENCH_OURS_ROOT" "$BENCH_KVER"
echo "bench: $BENCH_ARCH tree $BENCH_KVER, $nmods modules; ours=$DEPMOD; $(nproc) CPUs" >&2

# The cold run: every module read (our cache of module facts off; its
# rows are in tests/bench-cache.sh).
bench_pair "depmod $BENCH_ARCH ($nmods modules), cold" \
  "$KMOD_DEPMOD -b $BENCH_KMOD_ROOT $BENCH_KVER" \
  "$DEPMOD --no-cache -b $BENCH_OURS_ROOT $BENCH_KVER"

for extra in tests/bench-*.sh; do
  [ -f "$extra" ] || continue
  . "./$extra"
done

bench_report
exit $bench_failed
