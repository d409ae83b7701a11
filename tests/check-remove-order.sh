#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# modprobe -r -n against kmod's on a -d ROOT tree, with the kernel's state
# faked: in a private mount namespace (unshare -m) a tmpfs over /sys/module
# holds initstate, refcnt and holders of "loaded" modules.  Both tools only
# read that state and print rmmod lines (-n): no module is removed.  Each
# case must give kmod's lines, in kmod's order, and its exit status.
cd "$(dirname "$0")/.." && . tests/lib.sh
need_tool "$MODPROBE" check-remove-order
need_testmods
if [ ! -x "$KMOD_MODPROBE" ] || [ ! -x "$KMOD_DEPMOD" ]; then echo "SKIP check-remove-order: no kmod"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then echo "SKIP check-remove-order: needs root and unshare -m"; exit 0; fi
mng_tmpdir W check-remove-order
K=$MODS_KVER
R=$W/root
mkdir -p "$R/lib/modules/$K/kernel"
for m in mod_a mod_b mod_c mod-d mod_e; do cp "$MODS/$m.ko" "$R/lib/modules/$K/kernel/"; done
"$KMOD_DEPMOD" -b "$R" "$K" 2>/dev/null
# One private namespace per case: SPEC is name:refcnt:holder,holder ...
cat >"$W/case.sh" <<'INNER'
mount -t tmpfs none /sys/module || exit 99
for spec in $SPEC; do
  n=${spec%%:*}; rest=${spec#*:}; rc=${rest%%:*}; h=${rest#*:}
  mkdir -p "/sys/module/$n/holders"
  echo live >"/sys/module/$n/initstate"
  echo "$rc" >"/sys/module/$n/refcnt"
  for x in $(echo "$h" | tr ',' ' '); do mkdir -p "/sys/module/$x"; ln -s "../../$x" "/sys/module/$n/holders/$x"; done
done
"$TOOL" -n -v -r -d "$R" -S "$K" $MODS 2>&1
echo "rc=$?"
INNER
run() { unshare -m env TOOL="$1" R="$R" K="$K" MODS="$2" SPEC="$3" sh "$W/case.sh" 2>&1 | head -c 100000; }
check() {
  run "$KMOD_MODPROBE" "$1" "$2" >"$W/kmod.out"
  run "$MODPROBE" "$1" "$2" >"$W/ours.out"
  if grep -q '^rc=' "$W/kmod.out" && cmp -s "$W/kmod.out" "$W/ours.out"; then
    ok "-r $1 [$2]: $(grep -c '^rmmod' "$W/kmod.out") rmmod lines as kmod's, $(tail -n 1 "$W/kmod.out")"
  else
    bad "-r $1 [$2] differs from kmod"; diff "$W/kmod.out" "$W/ours.out" | head -n 10
  fi
}
check mod_c "mod_a:0: mod_b:0: mod_c:0:"
check mod_c "mod_a:1:mod_b mod_b:0: mod_c:0:"
check mod_c "mod_a:2:mod_b,mod_c mod_b:1:mod_c mod_c:0:"
check mod_c "mod_c:1: mod_a:0: mod_b:0:"
check mod_c "mod_a:0: mod_b:0:"
check mod_e "mod_a:0: mod_b:0: mod_d:0: mod_e:0:"
check mod_e "mod_a:1:mod_b mod_b:0: mod_d:0: mod_e:0:"
check mod_e "mod_b:0: mod_e:0: mod_d:0:"
check "mod_c mod_e" "mod_a:0: mod_b:0: mod_c:0: mod_d:0: mod_e:0:"
check mod_b "mod_a:0: mod_b:1:"
finish check-remove-order
