# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/bench.sh (see there for the variables).  The cost of the
# reliability measures:
#   - flushing depmod's outputs (fdatasync of each new file, fsync of the
#     directory): our depmod with and without (MNG_DEPMOD_NO_SYNC=1),
#     alternately, BENCH_RUNS times each; one "bench:" line;
#   - big inputs against kmod: a modprobe.d file of 500,000 lines, and a
#     text modules.dep (no .bin) whose line for a module names 600,000
#     modules that do not exist (kmod does not read the text file at all).

i=0
: >"$W/sync.us"
: >"$W/nosync.us"
while [ $i -lt "$BENCH_RUNS" ]; do
  run_once "$DEPMOD --no-cache -b $BENCH_OURS_ROOT $BENCH_KVER" && echo "$run_us" >>"$W/sync.us"
  run_once "env MNG_DEPMOD_NO_SYNC=1 $DEPMOD --no-cache -b $BENCH_OURS_ROOT $BENCH_KVER" && echo "$run_us" >>"$W/nosync.us"
  i=$((i + 1))
done
with=$(median "$W/sync.us") without=$(median "$W/nosync.us")
awk -v a="$with" -v b="$without" 'BEGIN {
  printf "bench: flushing the outputs (fdatasync, fsync): %+.1f ms per depmod run (median %.1f ms with, %.1f without)\n",
    (a - b) / 1000, a / 1000, b / 1000 }' >&2

if [ -x "$MODPROBE" ]; then
  big=$W/big-conf
  mkdir -p "$big"
  awk 'BEGIN { for (i = 0; i < 500000; i++) {
      k = i % 5
      if (k == 0) printf "alias pci:v%08Xd*sv* mod_%d\n", i, i
      else if (k == 1) printf "options mod_%d param=%d other=x\n", i, i
      else if (k == 2) printf "blacklist mod_%d\n", i
      else if (k == 3) printf "softdep mod_%d pre: mod_%d post: mod_%d\n", i, i + 1, i + 2
      else printf "install mod_%d /bin/true\n", i } }' >"$big/big.conf"
  bench_pair "modprobe -C 500k-line modprobe.d" \
    "$KMOD_MODPROBE -d $BENCH_KMOD_ROOT -S $BENCH_KVER -C $big -n ext4" \
    "$MODPROBE -d $BENCH_OURS_ROOT -S $BENCH_KVER -C $big -n ext4"

  dep=$W/bigdep/lib/modules/$BENCH_KVER
  mkdir -p "$dep"
  awk 'BEGIN { printf "kernel/fs/ext4/ext4.ko:"
      for (i = 0; i < 600000; i++) printf " kernel/missing/m%d.ko", i
      printf "\n" }' >"$dep/modules.dep"
  BENCH_ANY_RC=1
  bench_pair "modprobe, 600k missing deps" \
    "$KMOD_MODPROBE -d $W/bigdep -S $BENCH_KVER -C /dev/null -n ext4" \
    "$MODPROBE -d $W/bigdep -S $BENCH_KVER -C /dev/null -n ext4"
  BENCH_ANY_RC=
fi
