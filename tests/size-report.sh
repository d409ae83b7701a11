#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Where the bytes of a static binary go.  For each BINARY given, reads the
# link map BINARY.map (the static link writes one, -Wl,-Map) and prints:
#   - the stripped size of the binary;
#   - the allocated bytes the file carries (code, read-only data, unwind
#     tables, initialised data; not .bss, not debug info) grouped by where
#     they come from: our objects, libstdc++, Boost.Program_options, zlib,
#     liblzma, libzstd, libc, libgcc and the start files;
#   - our objects' bytes by source directory, with the template instances
#     they hold counted by their header (libstdc++, Boost.Spirit, other
#     Boost), from the debug information of the unstripped binary;
#   - the TOP largest input objects and the TOP largest symbols.
# `make size-report` builds the static binaries and runs this on them.
#
# Usage: tests/size-report.sh [-n TOP] BINARY...
# Env: STRIP (default strip; e.g. arm-linux-gnueabihf-strip), NM (default nm).
set -eu
top=15
if [ "${1:-}" = -n ]; then top=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-n TOP] BINARY..." >&2; exit 2; }
STRIP=${STRIP:-strip}
NM=${NM:-nm}
tmp=$(mktemp -d /tmp/size-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# One line per allocated input section of the map: SIZE SECTION FILE.
# An input section's name stands alone on its line when it is too long;
# its address, size and file are then on the next line.
sections() {
  awk '
    function hex(h,   i, v) {
      v = 0; h = tolower(substr(h, 3))
      for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
      return v
    }
    function emit(sec, sz, file,   s) {
      s = hex(sz)
      if (s > 0 && out !~ /^\.(debug|comment|bss|tbss|note\.stapsdt|stapsdt)/) print s, sec, file
    }
    /^(Linker script and memory map|Memory map)$/ { on = 1; next }
    !on { next }
    /^[^ ]/ { out = $1; pend = ""; next }
    /^ \.[^ ]*$/ { pend = $1; next }
    /^ \.[^ ]+ +0x[0-9a-f]+ +0x[0-9a-f]+ / { emit($1, $3, $4); pend = ""; next }
    pend != "" && /^ +0x[0-9a-f]+ +0x[0-9a-f]+ / { emit(pend, $2, $3) }
    { pend = "" }' "$1"
}

# SIZE SECTION FILE -> SIZE ORIGIN SECTION MEMBER, with ORIGIN our
# directory (the member's source file is looked up) or the library.
classify() {
  for d in common conf depmod modprobe tests; do
    for f in "$d"/*.cc; do [ -e "$f" ] && echo "$(basename "$f" .cc).o $d"; done
  done >"$tmp/dirs"
  awk -v dirs="$tmp/dirs" '
    BEGIN { while ((getline l < dirs) > 0) { split(l, a, " "); dir[a[1]] = a[2] } }
    {
      f = $3; m = f
      if (m ~ /\(/) { sub(/.*\(/, "", m); sub(/\)$/, "", m) } else sub(/.*\//, "", m)
      # Link-time optimisation names its partitions after a temporary file.
      if (m ~ /\.ltrans[0-9]+\.ltrans\.o$/) { sub(/\.ltrans\.o$/, "", m); sub(/.*\.ltrans/, "link-time-partition-", m) }
      if (f ~ /libstdc\+\+/) o = "libstdc++"
      else if (f ~ /boost_program_options/) o = "Boost.Program_options"
      else if (f ~ /\/libz\.a/) o = "zlib"
      else if (f ~ /liblzma/) o = "liblzma"
      else if (f ~ /libzstd/) o = "libzstd"
      else if (f ~ /\/lib(c|m|m-[0-9.]+|mvec|pthread|dl|rt)\.a/) o = "libc"
      else if (f ~ /libgcc|\/crt[^\/]*\.o$/) o = "libgcc+crt"
      else if (m in dir || m ~ /^link-time-partition-/) o = "ours"
      else o = "other"
      print $1, o, $2, m
    }'
}

# SIZE NAME lines -> table of the largest, with the share of TOTAL.
table() {
  sort -k1,1nr | head -n "$2" |
    awk -v t="$1" '{ n = $1; $1 = ""; printf "  %9d %5.1f%% %s\n", n, 100 * n / t, substr($0, 2) }'
}

for bin in "$@"; do
  map=$bin.map
  [ -f "$bin" ] && [ -f "$map" ] || { echo "size-report: $bin or $map missing" >&2; exit 1; }
  "$STRIP" -o "$tmp/stripped" "$bin"
  stripped=$(wc -c <"$tmp/stripped")
  sections "$map" | classify >"$tmp/rows"
  total=$(awk '{ t += $1 } END { print t + 0 }' "$tmp/rows")
  ours=$(awk '$2 == "ours" { t += $1 } END { print t + 0 }' "$tmp/rows")
  awk -v s="$stripped" -v b="$bin" \
    'BEGIN { printf "== %s: %d bytes stripped (%.2f MiB)\n", b, s, s / 1048576 }'
  echo "by origin (allocated bytes, $total in all):"
  awk '{ t[$2] += $1 } END { for (k in t) print t[k], k }' "$tmp/rows" | table "$total" 100
  # Our code by the source file of each symbol (from the debug info, so
  # also after link-time optimisation); one size per address, as aliases
  # (constructor variants, say) share their code.
  echo "our code by source (symbols of the unstripped binary; template instances by their header):"
  "$NM" -S -l --defined-only "$bin" 2>/dev/null | awk -F '\t' -v ours="$ours" '
    NF == 2 {
      split($1, a, " "); if (a[3] ~ /^[bB]$/ || seen[a[1]]++) next
      f = $2; sub(/:[0-9]+$/, "", f); gsub(/\/\.\//, "/", f)
      if (f ~ /\/include\/c\+\+\//) k = "libstdc++ templates"
      else if (f ~ /\/boost\/spirit\//) k = "Boost.Spirit templates"
      else if (f ~ /\/boost\//) k = "other Boost templates (Program_options, any, exceptions)"
      else if (match(f, /\/(common|conf|depmod|modprobe|tests)\//)) k = "ours:" substr(f, RSTART + 1, RLENGTH - 2)
      else k = "other sources"
      n = 0; h = tolower(a[2])
      for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
      t[k] += n; sum += n
    }
    END { for (k in t) print t[k], k
          if (ours > sum) print ours - sum, "not in a symbol (unwind tables, literals, padding)" }' |
    table "$total" 100
  echo "top $top input objects:"
  awk '{ t[$2 " " $4] += $1 } END { for (k in t) print t[k], k }' "$tmp/rows" | table "$total" "$top"
  echo "top $top symbols:"
  "$NM" -S --size-sort -C "$bin" 2>/dev/null |
    awk '{ n = 0; h = tolower($2)
           for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
           $1 = $2 = $3 = ""; s = substr($0, 4); if (length(s) > 110) s = substr(s, 1, 107) "..."
           print n, s }' | table "$total" "$top"
  echo
done
