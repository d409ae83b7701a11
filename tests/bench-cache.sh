# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/bench.sh after its depmod row (see there for the
# variables).  Rows for our depmod's cache of module facts
# (modules.cache) against kmod, which has none:
#   re-run, nothing changed: the amd64 tree, and the armhf tree with every
#     module as .ko.xz and as .ko.zst (compressed once, as the kernel's
#     modules_install does, kept in $B/bench-trees);
#   one module added (the DKMS case) to the amd64 tree and the .ko.xz
#     tree: before each timed run, untimed, the module (a copy of one of
#     the tree's, under a new name, so with aliases of its own) is taken
#     out, the tool runs on the tree without it, and the module is copied
#     in afresh (tests/readd-module.sh): each timed run is the first after
#     a new file was added.
# The trees are real copies, not hardlinks: a hardlink made elsewhere to
# a module changes its inode change time, which the cache rightly treats
# as a change.  The depmod row before these runs with --no-cache: the cold
# run.  Environment: BENCH_XZ_ARCH (default armhf), the tree compressed.
BENCH_XZ_ARCH=${BENCH_XZ_ARCH:-armhf}

# real_copy SRC_MODDIR DST_ROOT KVER: like copy_tree, with copied modules.
real_copy() { inputs_copy "$1" "$2/lib/modules/$3"; }

# compressed_tree KIND: $BABS/bench-trees/ARCH-KIND/lib/modules/KVER with
# every module compressed (made once); sets ctree and ckver.
compressed_tree() {
  local src kind=$1
  ckver=$(ls "$BABS/images/$BENCH_XZ_ARCH/lib/modules/" 2>/dev/null | head -n 1)
  [ -n "$ckver" ] || B=$B sh tests/fetch-images.sh >&2 || return 1
  ckver=$(ls "$BABS/images/$BENCH_XZ_ARCH/lib/modules/" | head -n 1)
  ctree=$BABS/bench-trees/$BENCH_XZ_ARCH-$kind
  [ -f "$ctree.stamp" ] && return 0
  echo "bench: compressing the $BENCH_XZ_ARCH tree as .ko.$kind (once)" >&2
  rm -rf "$ctree"
  real_copy "$BABS/images/$BENCH_XZ_ARCH/lib/modules/$ckver" "$ctree" "$ckver"
  case $kind in
    xz) find "$ctree" -name '*.ko' -exec xz -q --check=crc32 --lzma2=dict=1MiB {} + ;;
    zst) find "$ctree" -name '*.ko' -exec zstd -q --rm {} + ;;
  esac
  touch "$ctree.stamp"
}

src=$BABS/images/$BENCH_ARCH/lib/modules/$BENCH_KVER
real_copy "$src" "$W/cache-kmod" "$BENCH_KVER"
real_copy "$src" "$W/cache-ours" "$BENCH_KVER"
# Modules not touched for a moment are the ones the cache keeps.
sleep 3
bench_pair "re-run, nothing changed: $BENCH_ARCH" \
  "$KMOD_DEPMOD -b $W/cache-kmod $BENCH_KVER" \
  "$DEPMOD -b $W/cache-ours $BENCH_KVER"
one=kernel/drivers/usb/serial/pl2303.ko
cp "$src/$one" "$W/dkms_pl2303.ko"
BENCH_PREP_KMOD="sh tests/readd-module.sh $W/dkms_pl2303.ko $W/cache-kmod/lib/modules/$BENCH_KVER/updates $KMOD_DEPMOD -b $W/cache-kmod $BENCH_KVER"
BENCH_PREP_OURS="sh tests/readd-module.sh $W/dkms_pl2303.ko $W/cache-ours/lib/modules/$BENCH_KVER/updates $DEPMOD -b $W/cache-ours $BENCH_KVER"
bench_pair "one module added: $BENCH_ARCH" \
  "$KMOD_DEPMOD -b $W/cache-kmod $BENCH_KVER" \
  "$DEPMOD -b $W/cache-ours $BENCH_KVER"
BENCH_PREP_KMOD= BENCH_PREP_OURS=
rm -rf "$W/cache-kmod" "$W/cache-ours"

for kind in xz zst; do
  if ! compressed_tree "$kind"; then
    printf '%s|FAILED\n' "re-run .ko.$kind" >>"$RESULTS"
    bench_failed=1
    continue
  fi
  rm -rf "$W/ckmod" "$W/cours"
  real_copy "$ctree/lib/modules/$ckver" "$W/ckmod" "$ckver"
  real_copy "$ctree/lib/modules/$ckver" "$W/cours" "$ckver"
  sleep 3
  n=$(find "$W/cours" -name "*.ko.$kind" | wc -l)
  bench_pair "re-run: $BENCH_XZ_ARCH $n .ko.$kind" \
    "$KMOD_DEPMOD -b $W/ckmod $ckver" \
    "$DEPMOD -b $W/cours $ckver"
  if [ "$kind" = xz ]; then
    added=$(find "$W/cours" -name "*.ko.xz" | sort | head -n 1)
    cp "$added" "$W/dkms_$(basename "$added")"
    added=$W/dkms_$(basename "$added")
    BENCH_PREP_KMOD="sh tests/readd-module.sh $added $W/ckmod/lib/modules/$ckver/updates $KMOD_DEPMOD -b $W/ckmod $ckver"
    BENCH_PREP_OURS="sh tests/readd-module.sh $added $W/cours/lib/modules/$ckver/updates $DEPMOD -b $W/cours $ckver"
    bench_pair "one module added: $BENCH_XZ_ARCH .ko.xz" \
      "$KMOD_DEPMOD -b $W/ckmod $ckver" \
      "$DEPMOD -b $W/cours $ckver"
    BENCH_PREP_KMOD= BENCH_PREP_OURS=
  fi
  rm -rf "$W/ckmod" "$W/cours"
done
