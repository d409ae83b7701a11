#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# depmod's cache of module facts (modules.cache) never changes an output.
#
# A tree of real modules (the test modules and, when tests/fetch-images.sh
# has unpacked Debian's amd64 image, its USB serial, USB network and
# gspca drivers, about 150 modules, a third of them compressed) goes
# through STEPS (default 200) random changes, from a seeded generator
# (SEED, default the time; printed, so a failure can be replayed):
#   add a module, remove one, rewrite one in place keeping its size and
#   mtime (a byte of an alias changed), touch one, swap one's compression,
#   move a directory, change depmod.d, change -P or -E/-F, corrupt,
#   truncate or replace the cache, kill -9 a run at a random moment,
#   change modules.builtin, change nothing at all (depmod then leaves every output as it is), or
#   tamper with an output file (edit a byte in place with its mtime put
#   back, truncate, remove, replace by an edited copy keeping the mtime).
# After each change depmod runs with its cache, then with --no-cache into
# another directory (-o), and every output file of the two runs must be
# byte-identical; the check stops at the first difference, naming the step.
# Then: the cache was used (most modules taken from it in later steps),
# runs with work to do left some outputs as they were (those whose sources
# had not changed: see kept_outputs in depmod/run_state.h), -n and --no-cache leave it alone, and as root a cache another user owns
# is not used.
#
# Environment: B, DEPMOD, STEPS, SEED.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
STEPS=${STEPS:-200}
SEED=${SEED:-$(date +%s)}
KVER=9.9.9-cache
need_tool "$DEPMOD" check-cache
need_testmods
mng_tmpdir W check-cache
T=$W/tree
D=$T/lib/modules/$KVER
COLD=$W/cold
CONF=$W/depmod.d
POOL=$W/pool
mkdir -p "$D/kernel/test" "$D/kernel/usb" "$D/kernel/net" "$D/kernel/media" "$D/updates" "$CONF" "$POOL" "$COLD"
echo "check-cache: seed $SEED, $STEPS steps"

# ---- the random numbers ----------------------------------------------------------
rng=$SEED
# rand N: a number in 0..N-1 in $r.
rand() { rng=$(( (rng * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff )); r=$(( (rng >> 33) % $1 )); }
# pick LIST...: one of the words, in $p.
pick() { rand $#; shift $r; p=$1; }

# ---- the tree ----------------------------------------------------------------
compress() {  # compress FILE KIND: FILE.ko -> FILE.ko.KIND (none: unchanged)
  case $2 in
    xz) xz -q --check=crc32 "$1" ;;
    zst) zstd -q --rm "$1" ;;
    gz) gzip -n -q "$1" ;;
  esac
}
for m in mod_a mod_b mod_c mod-d mod_e boot_one boot_two fail_init; do cp "$MODS/$m.ko" "$D/kernel/test/"; done
# Debian's amd64 tree, fetched and unpacked when this check runs first.
tree_line=$(sh tests/fetch-images.sh 2>/dev/null | grep '^amd64 ' || true)
ik= k=
# shellcheck disable=SC2086
[ -z "$tree_line" ] || { set -- $tree_line; ik=$2; k=$3/kernel/drivers; }
if [ -n "$ik" ] && [ -d "$k/usb/serial" ]; then
  cp "$k"/usb/serial/*.ko "$D/kernel/usb/"
  cp "$k"/net/usb/*.ko "$D/kernel/net/"
  cp "$k"/media/usb/gspca/*.ko "$D/kernel/media/" 2>/dev/null
  # Some modules wait outside the tree, to be added later.
  for f in "$D"/kernel/media/gspca_s*.ko "$D"/kernel/net/*_*.ko; do mv "$f" "$POOL/"; done
  echo "  Debian $ik modules: $(find "$D/kernel/usb" "$D/kernel/net" "$D/kernel/media" -name '*.ko' | wc -l) in the tree, $(ls "$POOL" | wc -l) to add"
else
  echo "  note: no Debian amd64 tree; the test modules only"
fi
cp "$MODS/loop_x.ko" "$POOL/"
nmods=$(find "$D" -name '*.ko' | wc -l)
i=0
for f in $(find "$D" -name '*.ko' | sort); do
  i=$((i + 1))
  case $((i % 6)) in 1) compress "$f" xz ;; 3) compress "$f" zst ;; 5) compress "$f" gz ;; esac
done
# modules.order: most of the modules, in a random order.
find "$D" -name '*.ko' | sed "s|^$D/||" | while read -r f; do rand 4; [ $r = 0 ] || echo "$r $f"; done |
  sort | sed 's/^[0-9]* //' >"$D/modules.order"
# The kernel's built-in modules, as a real tree has them.
printf 'kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c_generic.ko\n' >"$D/modules.builtin"
printf 'ext4.alias=fs-ext4\0crc32c_generic.alias=crypto-crc32c\0' >"$D/modules.builtin.modinfo"
# System.map from the test modules' Module.symvers, for -F.
awk '{ print "0000000000000000 T " $2 }' "$MODS/Module.symvers" >"$W/System.map"

modules() { find "$D" -name '*.ko*' | sort; }
nth_module() {  # a random module file in $p ("" when there is none)
  set -- $(modules)
  p=
  [ $# -gt 0 ] || return 0
  rand $#
  shift $r
  p=$1
}

# ---- the changes -------------------------------------------------------------------
OPTS=
step_add() {
  set -- $(ls "$POOL")
  [ $# -gt 0 ] || { what="add: pool empty"; return; }
  rand $#; shift $r; f=$1
  pick kernel/test kernel/usb kernel/net updates; dir=$p
  mkdir -p "$D/$dir"
  mv "$POOL/$f" "$D/$dir/$f"
  pick none none xz zst gz; compress "$D/$dir/$f" "$p"
  what="add $dir/$f ($p)"
}
step_remove() {
  nth_module; [ -n "$p" ] || return
  what="remove ${p#$D/}"
  case $p in *.ko) mv "$p" "$POOL/" ;; *) rm -f "$p" ;; esac
}
# A byte of an alias (or of any modinfo value) changed in place; the mtime
# is put back, so only the inode change time tells.
step_rewrite() {
  set -- $(find "$D" -name '*.ko' | sort)
  [ $# -gt 0 ] || { what="rewrite: no uncompressed module"; return; }
  rand $#; shift $r; f=$1
  cp -p "$f" "$W/stamp"
  # Rewritten through the same inode (perl -i would make a new file).
  perl -e 'open(my $h, "+<", $ARGV[0]) or die; binmode $h; local $/; my $d = <$h>;
    if ($d =~ s/(alias=[a-z0-9_:*-]{3})([a-z])/$1 . ($2 eq "q" ? "r" : "q")/e) { seek($h, 0, 0); print $h $d; }
    close($h) or die' "$f"
  touch -r "$W/stamp" "$f"
  what="rewrite ${f#$D/} (size $(wc -c <"$f"), mtime kept)"
}
step_touch() { nth_module; [ -n "$p" ] || return; touch "$p"; what="touch ${p#$D/}"; }
step_swap() {
  nth_module; [ -n "$p" ] || return
  f=$p base=${p%.ko*}.ko
  case $f in
    *.xz) xz -dq "$f" ;; *.zst) zstd -dq --rm "$f" ;; *.gz) gzip -dq "$f" ;;
  esac
  pick none xz zst gz; compress "$base" "$p"
  what="recompress ${f#$D/} as $p"
}
step_move() {
  pick kernel/usb kernel/net kernel/test kernel/media updates; from=$p
  [ -d "$D/$from" ] || { what="move: no $from"; return; }
  pick a b c; to=$from-$p
  [ -e "$D/$to" ] && to=$to-x
  mv "$D/$from" "$D/$to"
  what="move $from to $to"
  # Now and then back, to the paths modules.order names.
  rand 2; [ $r = 0 ] && { mv "$D/$to" "$D/$from"; what="$what and back"; }
}
step_config() {
  pick none override-test search-updates exclude-net override-usb
  case $p in
    none) rm -f "$CONF"/*.conf ;;
    override-test) echo "override mod_a $KVER kernel/test" >"$CONF/a.conf" ;;
    search-updates) echo "search updates built-in" >"$CONF/s.conf" ;;
    exclude-net) echo "exclude net" >"$CONF/e.conf" ;;
    override-usb) echo "override usbserial * kernel/usb" >"$CONF/u.conf" ;;
  esac
  what="depmod.d: $p"
}
step_options() {
  pick "" "" "-P _" "-E $MODS/Module.symvers" "-e -E $MODS/Module.symvers" "-F $W/System.map"
  OPTS=$p
  what="options now '$OPTS'"
}
step_damage_cache() {
  c=$D/modules.cache
  [ -f "$c" ] || { what="cache: none to damage"; return; }
  n=$(wc -c <"$c")
  pick truncate flip junk random empty
  case $p in
    truncate) rand "$n"; truncate -s "$r" "$c" ;;
    flip) rand "$n"; printf '\377' | dd of="$c" bs=1 seek="$r" conv=notrunc status=none ;;
    junk) echo junk >>"$c" ;;
    random) head -c "$n" /dev/urandom >"$c" ;;
    empty) : >"$c" ;;
  esac
  what="cache: $p"
}
step_builtin() {
  pick add drop
  case $p in
    add) echo "kernel/lib/libcrc$step.ko" >>"$D/modules.builtin" ;;
    drop) sed -i '$d' "$D/modules.builtin" ;;
  esac
  what="modules.builtin: $p a line"
}
# settle: lets every file age past the freshness window and runs depmod
# twice; settled=1 when the second run found nothing to do.
settle() {
  sleep 2
  # shellcheck disable=SC2086
  "$DEPMOD" -C "$CONF" $OPTS -b "$T" "$KVER" >/dev/null 2>&1
  # shellcheck disable=SC2086
  MNG_DEPMOD_STATS=1 "$DEPMOD" -C "$CONF" $OPTS -b "$T" "$KVER" 2>&1 >/dev/null | grep -q 'stats:.* unchanged=' &&
    settled=$((settled + 1))
}
step_nothing() { rand 2; [ $r = 0 ] && settle; what="nothing changed"; }
step_output() {
  was=$settled
  rand 2; [ $r = 0 ] && settle
  [ "$settled" = "$was" ] || tamper_settled=$((tamper_settled + 1))
  pick modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep modules.weakdep \
    modules.symbols modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname
  o=$D/$p
  [ -f "$o" ] || { what="output: no $p"; return; }
  cp -p "$o" "$W/stamp"
  n=$(wc -c <"$o")
  pick edit truncate remove replace
  case $p in
    edit) [ "$n" -gt 0 ] || printf x >>"$o"; rand "$(wc -c <"$o")"
          printf '\377' | dd of="$o" bs=1 seek="$r" conv=notrunc status=none; touch -r "$W/stamp" "$o" ;;
    truncate) rand "$((n + 1))"; truncate -s "$r" "$o" ;;
    remove) rm -f "$o" ;;
    replace) { cat "$W/stamp"; echo x; } >"$o.new"; touch -r "$W/stamp" "$o.new"; mv "$o.new" "$o" ;;
  esac
  what="output ${o#$D/}: $p"
}
step_kill() {
  rand 120
  # shellcheck disable=SC2086
  "$DEPMOD" -C "$CONF" $OPTS -b "$T" "$KVER" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' "$r")"
  kill -KILL "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null
  what="kill -9 after ${r} ms"
}

# ---- the comparison ---------------------------------------------------------------
hits=0 runs=0 unchanged=0 settled=0 tamper_settled=0 kept=0
# compare STEP: depmod with the cache, then without into $COLD.
compare() {
  # shellcheck disable=SC2086
  MNG_DEPMOD_STATS=1 "$DEPMOD" -C "$CONF" $OPTS -b "$T" "$KVER" >"$W/warm.out" 2>"$W/warm.err"
  wrc=$?
  h=$(sed -n 's/.*parse(\([0-9]*\)-cached).*/\1/p' "$W/warm.err")
  kept=$((kept + $(grep -o '(kept)=' "$W/warm.err" | wc -l)))
  # Nothing to do: every module's facts were the cache's.
  if grep -q 'stats:.* unchanged=' "$W/warm.err"; then
    unchanged=$((unchanged + 1)) h=$(modules | wc -l)
    case $what in output*) bad "step $1 ($what): the tampered output was not noticed"; finish check-cache ;; esac
  fi
  hits=$((hits + ${h:-0})) runs=$((runs + 1))
  rm -rf "$COLD"
  # shellcheck disable=SC2086
  "$DEPMOD" --no-cache -C "$CONF" $OPTS -b "$T" -o "$COLD" "$KVER" >"$W/cold.out" 2>"$W/cold.err"
  crc=$?
  [ $wrc = $crc ] || { bad "step $1 ($what): exit $wrc with the cache, $crc without"; finish check-cache; }
  grep -v '^depmod: stats' "$W/warm.err" >"$W/warm.msgs"
  cmp -s "$W/warm.msgs" "$W/cold.err" || { bad "step $1 ($what): messages differ"; diff "$W/warm.msgs" "$W/cold.err" | head -n 5; finish check-cache; }
  for f in "$COLD/lib/modules/$KVER"/modules.* "$D"/modules.*; do
    n=$(basename "$f")
    is_depmod_input "$n" && continue
    [ "$n" = modules.cache ] && continue
    if ! cmp -s "$COLD/lib/modules/$KVER/$n" "$D/$n"; then
      bad "step $1 ($what): $n differs from a run without the cache"
      diff "$COLD/lib/modules/$KVER/$n" "$D/$n" 2>&1 | head -n 5 | sed 's/^/        /'
      finish check-cache
    fi
  done
}

compare 0
step=1
while [ $step -le "$STEPS" ]; do
  what=
  pick add add remove rewrite rewrite touch swap swap move config options cache cache kill nothing nothing output \
    output builtin
  "step_$(case $p in cache) echo damage_cache ;; *) echo "$p" ;; esac)"
  echo "$step $what" >>"$W/log"
  compare $step
  # Untouched files must age past the cache's freshness window now and then.
  rand 25; [ $r = 0 ] && sleep 2
  step=$((step + 1))
done
ok "$STEPS random steps: every output equal to a run without the cache ($(grep -c kill "$W/log") kills, $(grep -c 'cache:' "$W/log") cache damages)"
# Most modules of the tree are untouched by each step, so most runs take
# most of them from the cache; a fifth of all possible is the floor.
if [ "$hits" -gt $((runs * nmods / 5)) ]; then
  ok "the cache was used: $hits modules taken from it over $runs runs"
else
  bad "the cache was hardly used: $hits modules over $runs runs"
fi
if [ "$unchanged" -gt 0 ]; then
  ok "$unchanged runs found nothing changed and wrote nothing ($settled settled trees; $(grep -c 'output ' "$W/log") outputs tampered with, $tamper_settled of them in a settled tree, each noticed)"
else
  bad "no run found nothing changed"
fi

# A run with work to do leaves the outputs whose sources did not change as
# they are (and each was equal to a run without the cache, above).
if [ "$kept" -gt 0 ]; then
  ok "$kept outputs left as they were by runs that rebuilt others"
else
  bad "no run left an unchanged output as it was"
fi

# ---- -n, --no-cache, ownership -------------------------------------------------
sleep 2
"$DEPMOD" -C "$CONF" -b "$T" "$KVER" 2>/dev/null
cp -p "$D/modules.cache" "$W/cache.ref"
printf "# not a cache, though long enough to have a header and a checksum\n%.0s" 1 2 >"$D/modules.cache"
cp -p "$D/modules.cache" "$W/cache.bad"
"$DEPMOD" -n -C "$CONF" -b "$T" "$KVER" >/dev/null 2>&1
cmp -s "$D/modules.cache" "$W/cache.bad" && ok "-n leaves modules.cache alone" || bad "-n wrote modules.cache"
"$DEPMOD" --no-cache -C "$CONF" -b "$T" "$KVER" 2>/dev/null
cmp -s "$D/modules.cache" "$W/cache.bad" && ok "--no-cache neither reads nor writes modules.cache" || bad "--no-cache wrote modules.cache"
out=$("$DEPMOD" -v -C "$CONF" -b "$T" "$KVER" 2>&1 | grep 'modules.cache not used')
case $out in *"not a depmod cache"*) ok "a file that is not a cache: one -v line ($out)" ;; *) bad "no -v line for a file that is not a cache: '$out'" ;; esac
if [ "$(id -u)" = 0 ]; then
  chown 65534 "$D/modules.cache"
  out=$(MNG_DEPMOD_STATS=1 "$DEPMOD" -v -C "$CONF" -b "$T" "$KVER" 2>&1 | grep -e 'modules.cache not used' -e 'stats')
  case $out in
    *"owned by uid 65534"*"parse(0-cached)"* | *"parse(0-cached)"*"owned by uid 65534"*)
      ok "as root, a cache owned by another user is not used" ;;
    *) bad "as root, a cache owned by uid 65534: '$out'" ;;
  esac
  [ "$(stat -c %u "$D/modules.cache")" = 0 ] && ok "... and is replaced by root's" || bad "the other user's cache was kept"
else
  echo "  note: not root; the ownership rule is not checked"
fi
finish check-cache
