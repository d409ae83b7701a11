# Sourced by tests/bench.sh after its depmod row (see there for the
# variables).  Rows: depmod without index files (-n), from which the share
# of depmod's time spent building and writing the indexes is printed; and
# modprobe's resolution (-D: name, alias, symbol) on the trees each depmod
# wrote, against kmod's modprobe.

bench_pair "depmod -n $BENCH_ARCH (no files)" \
  "$KMOD_DEPMOD -n -b $BENCH_KMOD_ROOT $BENCH_KVER" \
  "$DEPMOD -n -b $BENCH_OURS_ROOT $BENCH_KVER"

# Index share: (full run - run without any output file) / full run, ours.
awk -F'|' -v n="depmod -n $BENCH_ARCH (no files)" '
  NR == 1 { full = $3 }
  $1 == n { dry = $3 }
  END { if (full > 0 && dry > 0)
          printf "bench: index building and file writing: %.1f%% of our depmod run (%.1f of %.1f ms)\n",
                 100 * (full - dry) / full, (full - dry) / 1000, full / 1000 > "/dev/stderr" }' "$RESULTS"

if [ -x "$MODPROBE" ]; then
  for q in ext4 pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00 symbol:usb_register_driver; do
    bench_pair "modprobe -D $(echo "$q" | cut -c1-24)" \
      "$KMOD_MODPROBE -d $BENCH_KMOD_ROOT -S $BENCH_KVER -D $q" \
      "$MODPROBE -d $BENCH_OURS_ROOT -S $BENCH_KVER -D $q"
  done
else
  echo "bench: $MODPROBE not built: modprobe rows left out" >&2
fi
