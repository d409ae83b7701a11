#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod's report of dependency cycles against kmod's, on trees of real
# modules built from tests/cycle-graphs.txt (tests/build-cycle-modules.sh,
# kept in $B/cyclemods).  Each graph is run in its own order and in every
# rotation of it.  Where kmod's depmod finishes, both must print the same
# lines in the same order and exit alike; where kmod's never ends (or
# aborts), ours must still finish, print the count line last, no line twice
# and no module twice on a line, and start with kmod's first line if kmod
# printed one.  kmod runs under timeout and head -c: its output can be endless.
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$DEPMOD" check-cycles
if [ ! -x "$KMOD_DEPMOD" ]; then echo "SKIP check-cycles: no kmod depmod at $KMOD_DEPMOD"; exit 0; fi
C=$BABS/cyclemods
if [ ! -f "$C/kver" ] || [ tests/cycle-graphs.txt -nt "$C/kver" ] || [ tests/build-cycle-modules.sh -nt "$C/kver" ]; then
  sh tests/build-cycle-modules.sh "$C" || { echo "FAIL check-cycles: could not build the cycle modules"; exit 1; }
fi
KVER=$(cat "$C/kver")
mng_tmpdir W check-cycles

# tree PREFIX ORDER: a module tree of the graph's modules in ORDER at $W/t.
tree() {
  rm -rf "$W/t"
  _d=$W/t/lib/modules/$KVER
  mkdir -p "$_d/kernel"
  for _n in $(echo "$2" | sed 's/./& /g'); do
    cp "$C/$1$_n.ko" "$_d/kernel/"
    echo "kernel/$1$_n.ko" >>"$_d/modules.order"
  done
}

# elementary FILE: every line but the count line is unique and names no
# module twice before its last arrow.
elementary() {
  awk '/Found [0-9]+ modules/ { next }
       { sub(/^depmod: ERROR: Cycle detected: /, ""); if (seen[$0]++) exit 1
         n = split($0, m, / -> /); delete on
         for (i = 1; i < n; i++) if (on[m[i]]++) exit 1 }' "$1"
}

check_order() {
  _g=$1 _p=$2 _o=$3
  tree "$_p" "$_o"
  timeout 3 "$KMOD_DEPMOD" -b "$W/t" "$KVER" 2>&1 >/dev/null | head -c 200000 >"$W/kmod.err"
  timeout 10 "$DEPMOD" -b "$W/t" "$KVER" >/dev/null 2>"$W/ours.err"
  _rc=$?
  if tail -n 1 "$W/kmod.err" | grep -q '^depmod: ERROR: Found [0-9]* modules in dependency cycles!$'; then
    if cmp -s "$W/kmod.err" "$W/ours.err" && [ $_rc = 1 ]; then
      ok "$_g $_o: kmod's $(($(wc -l <"$W/kmod.err") - 1)) cycle lines, order and count, exit 1"
    else
      bad "$_g $_o: differs from kmod (exit $_rc)"; diff "$W/kmod.err" "$W/ours.err" | head -n 10 | indent
    fi
    return
  fi
  _first_ok=yes
  if grep -q 'Cycle detected' "$W/kmod.err"; then
    [ "$(head -n 1 "$W/kmod.err")" = "$(head -n 1 "$W/ours.err")" ] || _first_ok=no
  fi
  if [ $_rc = 1 ] && tail -n 1 "$W/ours.err" | grep -q 'Found [0-9]* modules in dependency cycles!' &&
    elementary "$W/ours.err" && [ $_first_ok = yes ]; then
    ok "$_g $_o: kmod's report does not finish (endless or abort); ours: $(($(wc -l <"$W/ours.err") - 1)) elementary lines, then the count"
  else
    bad "$_g $_o: kmod's report does not finish, ours is not bounded and elementary (exit $_rc, first line as kmod's: $_first_ok)"
    head -n 10 "$W/ours.err" | indent
  fi
}

indent() { sed 's/^/        /'; }
grep -v '^#' tests/cycle-graphs.txt | while read -r name prefix order edges; do
  [ -n "$name" ] || continue
  o=$order
  i=0
  while [ $i -lt ${#order} ]; do
    check_order "$name" "$prefix" "$o"
    o=$(echo "$o" | sed 's/^\(.\)\(.*\)$/\2\1/')
    i=$((i + 1))
  done
done >"$W/results"
cat "$W/results"
n_ok=$(grep -c '^  ok' "$W/results")
n_fail=$(grep -c '^  FAIL' "$W/results")
finish check-cycles
