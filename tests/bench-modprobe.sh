# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/bench.sh after its depmod row (see there for the
# variables).  Prints the share of our depmod's time spent building the
# binary indexes, and adds rows for modprobe's resolution (-D: a name, an
# alias, a symbol) on the trees each depmod wrote, against kmod's modprobe.

# Index share: our depmod reports its stage times with MNG_DEPMOD_STATS=1,
# and each output file's own time (the .bin ones are the indexes; the
# files are made on two lanes at once, so these overlap, and the stage
# "outputs" is their wall time); the median over BENCH_RUNS full runs of
# the indexes' time / the run's (the sum of the stages).
i=0
: >"$W/stats"
while [ $i -lt "$BENCH_RUNS" ]; do
  MNG_DEPMOD_STATS=1 "$DEPMOD" --no-cache -b "$BENCH_OURS_ROOT" "$BENCH_KVER" 2>&1 >/dev/null | grep '^depmod: stats:' >>"$W/stats"
  i=$((i + 1))
done
awk '{ total = 0; idx = 0
       for (f = 3; f <= NF; f++) { split($f, kv, "="); v = kv[2] + 0; if (kv[1] ~ /\.bin$/) idx += v; else if (kv[1] !~ /^modules\./) total += v }
       if (total > 0) print 100 * idx / total, idx, total }' "$W/stats" | sort -n >"$W/share"
awk '{ v[NR] = $0 } END { if (NR) { split(v[int((NR + 1) / 2)], m, " ");
       printf "bench: building the binary indexes: %.1f ms on their lane, %.1f%% of our full depmod run of %.1f ms (median)\n", m[2], m[1], m[3] } }' \
  "$W/share" >&2

if [ -x "$MODPROBE" ]; then
  for q in ext4 pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00 symbol:usb_register_driver; do
    bench_pair "modprobe -D $(echo "$q" | cut -c1-24)" \
      "$KMOD_MODPROBE -d $BENCH_KMOD_ROOT -S $BENCH_KVER -D $q" \
      "$MODPROBE -d $BENCH_OURS_ROOT -S $BENCH_KVER -D $q"
  done
else
  echo "bench: $MODPROBE not built: modprobe rows left out" >&2
fi
