#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash safety of depmod's output.  On Debian's full amd64 module tree
# (tests/fetch-images.sh) depmod runs once to completion (the reference
# outputs), then KILLS times (default 30) it is started and SIGKILLed at a
# random moment:
#   odd kills   after a delay between 0 and a little more than a whole run;
#   even kills  while the output files are written.  That takes a few
#               milliseconds, too short to hit with a timer, so these runs
#               go under strace, which delivers the SIGKILL on entry to the
#               N-th of the system calls that write and publish the outputs
#               (write, rename, unlink), N random among all of them as
#               counted in a traced reference run: every state between
#               "first temporary file created" and "journal removed" can
#               be the one the kill leaves behind.
# Before a run the output directory holds either no outputs or a complete
# stale set (the reference with a line appended to each file), unless the
# previous kill left a journal or temporary files behind, which are then
# left for the next run to clean up.
#
# After every kill:
#   - every modules.* output present is byte-equal to the reference or to
#     its stale version (never partly written);
#   - without a journal (.mng-journal) the outputs are one whole set: all
#     stale, all reference, or none at all.
# Every tenth kill, and at the end, depmod runs to completion: then the
# outputs are exactly the reference and no .mng-*.tmp file or journal is
# left (depmod/output_set.h).
#
# Environment: B, DEPMOD (default $B/depmod), KILLS (default 30).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
KILLS=${KILLS:-30}
# The system calls that write and publish the outputs.
PUBLISH=write,rename,renameat,renameat2,unlink,unlinkat
W=$BABS/killsafe

need_tool "$DEPMOD" check-killsafe
# The tree tests/fetch-images.sh unpacked (it takes a while to ask apt
# whether there is a newer one: only done when there is none yet).
kver=$(ls "$B/images/amd64/lib/modules" 2>/dev/null | head -n 1)
if [ -z "$kver" ] || [ ! -f "$B/images/amd64.stamp" ]; then
  line=$(sh tests/fetch-images.sh 2>/dev/null | grep '^amd64 ' || true)
  if [ -z "$line" ]; then
    echo "SKIP check-killsafe: no Debian amd64 kernel image (tests/fetch-images.sh failed)"
    exit 0
  fi
  set -- $line
  kver=$2
fi
src=$B/images/amd64/lib/modules/$kver

rm -rf "$W"
root=$W/root
dir=$root/lib/modules/$kver
mkdir -p "$root/lib/modules" "$W/ref" "$W/stale"
# A copy of the inputs (any output removed) whose modules have inodes of
# their own, left alone long enough for modules.cache to keep every
# module: the cache is then the same after every complete run, and is
# checked like the other outputs.
inputs_copy "$src" "$dir"
sleep 3

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rand() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }


# ---- reference -----------------------------------------------------------------
leftovers() { ls -A "$dir" | grep '^\.mng-' ; }

need_pkgs strace
have_strace=yes
command -v strace >/dev/null || have_strace=

# A run with nothing changed writes nothing; one output removed makes the
# run a full one.
unsettle() { rm -f "$dir/modules.devname"; }
t0=$(now_ms)
"$DEPMOD" -b "$root" "$kver" 2>"$W/ref.err" || { echo "check-killsafe: depmod failed on the tree"; cat "$W/ref.err"; exit 1; }
t1=$(now_ms)
unsettle
"$DEPMOD" -b "$root" "$kver" 2>/dev/null || exit 1
t2=$(now_ms)
run_ms=$(( t1 - t0 > t2 - t1 ? t1 - t0 : t2 - t1 ))

# The publishing calls of a traced run, in order.  Only the main thread
# is traced when it does all of them (other threads then run at full
# speed); else every thread (-f).
calls=
if [ -n "$have_strace" ]; then
  for follow in "" -f; do
    unsettle
    strace $follow -qq -o "$W/publish.trace" -e trace=$PUBLISH "$DEPMOD" -b "$root" "$kver" 2>/dev/null || exit 1
    calls=$(sed -n 's/^\([0-9]* \)\{0,1\}\([a-z0-9_]*\)(.*/\2/p' "$W/publish.trace")
    [ "$(echo "$calls" | grep -c rename)" -ge 2 ] && break
    calls=
  done
  if [ -n "$calls" ]; then
    n_calls=$(echo "$calls" | wc -l)
    echo "publishing: $n_calls calls ($(echo "$calls" | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}'))"
  else
    echo "  note: no renames seen by strace; every kill is at a random moment of a normal run"
  fi
else
  echo "  note: no strace; every kill is at a random moment of a normal run"
fi

outputs=
for f in "$dir"/modules.*; do
  n=$(basename "$f")
  is_depmod_input "$n" && continue
  outputs="$outputs $n"
  cp "$f" "$W/ref/$n"
  { cat "$f"; echo "# stale generation"; } >"$W/stale/$n"
done
n_out=$(echo $outputs | wc -w)
case " $outputs " in
  *" modules.cache "*) ok "modules.cache is one of the outputs of the set" ;;
  *) bad "no modules.cache among the outputs" ;;
esac
echo "reference: $n_out output files, a run takes ${run_ms} ms; $KILLS kills"

# same_as_ref NAME: $dir/NAME has the reference's contents.  The last
# bytes of modules.cache record the run that wrote it (the inodes of its
# outputs: depmod/module_cache.h), different every run: u64 digest, u64
# count, 5 x u64 per output, u32 checksum.
cache_tail=$((16 + 40 * (n_out - 1) + 4))
same_as_ref() {
  if [ "$1" = modules.cache ]; then
    [ "$(head -c -"$cache_tail" "$dir/$1" | cksum)" = "$(head -c -"$cache_tail" "$W/ref/$1" | cksum)" ]
  else
    cmp -s "$dir/$1" "$W/ref/$1"
  fi
}

# Which version is $dir/$1?  ref, stale or other.
version_of() {
  if same_as_ref "$1"; then echo ref
  elif cmp -s "$dir/$1" "$W/stale/$1"; then echo stale
  else echo other
  fi
}

# check_after_kill LABEL: the invariants after a kill.
check_after_kill() {
  gens= present=0
  for n in $outputs; do
    [ -e "$dir/$n" ] || continue
    present=$((present + 1))
    v=$(version_of "$n")
    [ "$v" = other ] && bad "$1: $n is neither the reference nor the stale version ($(wc -c <"$dir/$n") bytes)"
    case " $gens " in *" $v "*) ;; *) gens="$gens $v" ;; esac
  done
  for f in "$dir"/modules.*; do
    n=$(basename "$f")
    is_depmod_input "$n" && continue
    case " $outputs " in *" $n "*) ;; *) bad "$1: unexpected output $n" ;; esac
  done
  if [ ! -e "$dir/.mng-journal" ]; then
    if [ "$present" -ne 0 ] && [ "$present" -ne "$n_out" ]; then
      bad "$1: no journal but only $present of $n_out outputs present"
    fi
    case $gens in *" "*" "*) bad "$1: no journal but outputs from two generations:$gens" ;; esac
  fi
}

# complete LABEL: a full run must restore the reference and clean up.
complete() {
  "$DEPMOD" -b "$root" "$kver" 2>"$W/complete.err" || { bad "$1: complete run failed"; cat "$W/complete.err"; }
  for n in $outputs; do
    [ -e "$dir/$n" ] || { bad "$1: complete run left $n missing"; continue; }
    same_as_ref "$n" || bad "$1: complete run left $n different from the reference"
  done
  left=$(leftovers)
  [ -z "$left" ] || bad "$1: temporary files left after a complete run: $(echo $left)"
}

n_before_end=0 n_publishing=0 n_early=0 n_finished=0
i=1
while [ "$i" -le "$KILLS" ]; do
  label="kill $i"
  # Start state: untouched if a killed run left its journal or temporaries.
  if [ -z "$(leftovers)" ]; then
    for n in $outputs; do rm -f "$dir/$n"; done
    if [ $((i % 2)) -eq 1 ]; then
      for n in $outputs; do cp "$W/stale/$n" "$dir/$n"; done
      start=stale
    else
      start=none
    fi
  else
    start=leftovers
  fi
  before=$(leftovers)
  [ -n "$before" ] || before=/
  touch "$W/start"
  if [ $((i % 2)) -eq 0 ] && [ -n "$calls" ]; then
    # Killed on entry to publishing call N: call NAME's K-th use.
    n=$(( 1 + $(rand) % n_calls ))
    name=$(echo "$calls" | sed -n "${n}p")
    k=$(echo "$calls" | head -n "$n" | grep -c -x "$name")
    strace $follow -qq -o /dev/null -e trace="$name" -e inject="$name:signal=KILL:when=$k" \
      "$DEPMOD" -b "$root" "$kver" >/dev/null 2>&1 &
    tracer=$!
    when="at publishing call $n of $n_calls ($name #$k)"
  else
    "$DEPMOD" -b "$root" "$kver" >/dev/null 2>&1 &
    pid=$! tracer=$!
    delay=$(( $(rand) % (run_ms * 11 / 10 + 1) ))
    when="after ${delay} ms"
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -KILL "$pid" 2>/dev/null
  fi
  # (the shell's "Killed" notice is not wanted)
  { wait "$tracer"; } 2>/dev/null
  rc=$?
  # This run's temporary files: those that were not there before it.
  mine=$(leftovers | grep -v -x -F "$before" | grep -c .)
  if [ "$rc" -eq 0 ]; then
    n_finished=$((n_finished + 1)); what="finished before the kill"
  elif [ "$mine" -gt 0 ] || [ "$dir/.mng-journal" -nt "$W/start" ]; then
    n_publishing=$((n_publishing + 1))
    what="killed while publishing ($mine temporary files$([ -e "$dir/.mng-journal" ] && echo ', journal'))"
  else
    n_early=$((n_early + 1)); what="killed"
  fi
  echo "  $label: start $start, $when: $what"
  check_after_kill "$label"
  if [ $((i % 10)) -eq 0 ]; then complete "$label"; fi
  i=$((i + 1))
done
complete "final run"

echo "kills: $n_early before publishing, $n_publishing while publishing, $n_finished after finishing"
[ "$n_publishing" -gt 0 ] || echo "  note: no kill landed while the files were being published"
echo "check-killsafe: $n_fail failures"
[ "$n_fail" -eq 0 ]
