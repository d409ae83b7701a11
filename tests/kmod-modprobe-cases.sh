# SPDX-License-Identifier: GPL-2.0-or-later
# The rest of kmod's modprobe cases, sourced by tests/check-kmod-cases.sh
# (with W, K, K34, km, MODS, the tree $W/p, mp and want defined there).
# Loads are -n dry runs, real runs under strace whose every module call
# strace answers itself, or real runs whose module calls a preload library
# answers as a fake kernel (tests/fake_kernel_preload.c); nothing reaches
# the kernel.  Where the reference
# (kmod 30 when kmod 34.2 cannot be had) lacks the feature, the case's
# expected lines decide alone.
# shellcheck disable=SC2154 # km and kpat are set there too

# --show-depends alone never asks the kernel to load: no init_module or
# finit_module call at all while it runs.
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  strace -f -e trace=init_module,finit_module -o "$W/st" "$MODPROBE" -C /dev/null -d "$W/p" -S "$K" --show-depends mod_a >/dev/null 2>&1
  if [ -s "$W/st" ] && ! grep -q 'init_module(' "$W/st"; then
    ok "modprobe_show_depends_no_load: no init_module/finit_module call"
  else
    bad "modprobe_show_depends_no_load: a load call was made"; head -n 4 "$W/st"
  fi
else
  echo "  skip  modprobe_show_depends_no_load: no usable strace (not counted)"
fi

# An alias in the configuration, named as the module, that leads to no
# module; an install command bypassed by --ignore-install: nothing shown,
# exit 0.
printf 'alias mod-c no_such_module\ninstall mod_c /bin/false\n' >"$W/none.conf"
mp modprobe_show_alias_to_none "$W/none.conf" --show-depends --ignore-install --quiet mod_c
want modprobe_show_alias_to_none 0
mp modprobe_show_exports /dev/null --show-exports --quiet "$W/p/lib/modules/$K/kernel/mod_a.ko"
if [ "$(grep -cE "^0x[0-9a-fA-F]+$(printf '\t')sym_a\$" "$W/omp")" = 1 ] && [ "$(wc -l <"$W/omp")" = 1 ]; then
  ok "modprobe_show_exports: kmod's expected line (0x... TAB sym_a)"
else
  bad "modprobe_show_exports: not kmod's expected line"; head -n 3 "$W/omp"
fi
# By module name (kmod 30 takes only a file): the same lines as kmod's for
# the module's file.
"$KMOD_MODPROBE" -C /dev/null --show-exports "$W/p/lib/modules/$K/kernel/mod_b.ko" >"$W/ke" 2>&1
timeout 10 "$MODPROBE" -C /dev/null -d "$W/p" -S "$K" --show-exports mod_b 2>&1 | head -c 100000 >"$W/oe"
if [ -s "$W/ke" ] && cmp -s "$W/ke" "$W/oe"; then
  ok "modprobe_show_exports_module: as kmod's for the file ($(wc -l <"$W/ke") lines)"
else
  bad "modprobe_show_exports_module"; diff "$W/ke" "$W/oe" | head -n 6
fi
mp modprobe_show_exports_missing /dev/null --show-exports no_such_module
mp modprobe_builtin_lookup_only /dev/null -R fake_unix
want modprobe_builtin_lookup_only 0 fake_unix
for f in force force-modversion force-vermagic; do
  mp "modprobe_force (--$f)" /dev/null -n -v "--$f" mod_c
done

# modprobe_weakdep_loop: weak dependencies (kmod's: a module's own, the
# configuration's, in a loop too) are never loaded.
printf 'weakdep mod_a mod_e mod-d\nweakdep mod_e mod_a\nweakdep mod_b mod-d\n' >"$W/weak.conf"
if [ -n "$K34" ]; then
  for m in mod_a mod_e mod_c; do mp "modprobe_weakdep_loop ($m)" "$W/weak.conf" -n -v "$m"; done
  mp modprobe_weakdep_loop "$W/weak.conf" -n -v mod_a
  want modprobe_weakdep_loop 0 "insmod $km/mod_a.ko "
else
  # kmod 30 knows no weakdep: the dry runs equal its own with no configuration.
  for m in mod_a mod_e mod_c; do
    timeout 10 "$KMOD_MODPROBE" -C /dev/null -d "$W/p" -S "$K" -n -v "$m" 2>&1 | head -c 100000 >"$W/kw"
    timeout 10 "$MODPROBE" -C "$W/weak.conf" -d "$W/p" -S "$K" -n -v "$m" 2>&1 | head -c 100000 >"$W/ow"
    if cmp -s "$W/kw" "$W/ow"; then
      ok "modprobe_weakdep_loop ($m): $(wc -l <"$W/kw") insmod lines, no weak dependency"
    else
      bad "modprobe_weakdep_loop ($m)"; diff "$W/kw" "$W/ow" | head -n 6
    fi
  done
fi
# test_weakdep and modprobe_config (test-weakdep.c): the weak dependencies
# of a module are those of the configuration (mod_b: mod-a mod-d; mod_a: a
# line naming none) and of its .modinfo through modules.weakdep (mod_c:
# mod_e); modprobe -c lists them, the configuration's file before
# modules.weakdep, whose name sorts after it.  (kmod's test_weakdep asks
# libkmod, which we do not have; -c is where our tools show them.)
mkdir -p "$W/md"
printf 'weakdep mod-a \t\nweakdep mod-b mod-a mod-d\n' >"$W/md/dumb-weakdep.conf"
[ -n "$K34" ] && mp modprobe_config "$W/md" -c
timeout 10 "$MODPROBE" -C "$W/md" -d "$W/p" -S "$K" -c 2>/dev/null | head -c 100000 | grep '^weakdep' >"$W/wc"
printf 'weakdep mod_a \nweakdep mod_b mod-a mod-d\nweakdep mod_c mod_e\n' >"$W/we"
if cmp -s "$W/wc" "$W/we"; then
  ok "modprobe_config: -c lists kmod's expected weakdep lines (the empty one too)"
else
  bad "modprobe_config: -c weakdep lines differ"; diff "$W/we" "$W/wc" | head -n 6
fi
if grep -qx 'weakdep mod_b mod-a mod-d' "$W/wc" && grep -qx 'weakdep mod_c mod_e' "$W/wc"; then
  ok "test_weakdep: mod_b's weak dependencies from the configuration, mod_c's from its .modinfo"
else
  bad "test_weakdep: weak dependencies missing from -c"
fi

# modprobe_oldkernel(_force): another release (3.3.3), with and without
# --force (and, beyond kmod's cases, the other --force options).
rm -rf "$W/old"
mkdir -p "$W/old/lib/modules/3.3.3/kernel"
cp "$MODS/mod_a.ko" "$MODS/mod_b.ko" "$MODS/mod_c.ko" "$W/old/lib/modules/3.3.3/kernel/"
"$DEPMOD" -b "$W/old" 3.3.3 2>/dev/null
T=$W/old TK=3.3.3 mp modprobe_oldkernel /dev/null -n -v mod_c
for f in force force-modversion force-vermagic; do
  T=$W/old TK=3.3.3 mp "modprobe_oldkernel_force (--$f)" /dev/null -n -v "--$f" mod_c
done

# modprobe_external: a module found only in depmod.conf's "external"
# directory, outside the release's: modules.dep names it by its full path.
# (kmod's /lib/modules/external is here a directory beside the tree: depmod
# writes an external directory inside -b BASEDIR without BASEDIR, and
# modprobe -d does not add it back.)
rm -rf "$W/x" "$W/ext"
put "$W/x" kernel mod_a mod_b
mkdir -p "$W/ext"
cp "$MODS/mod_c.ko" "$W/ext/"
printf 'search external built-in\nexternal %s %s\n' "$kpat" "$W/ext" >"$W/x.conf"
"$DEPMOD" -b "$W/x" -C "$W/x.conf" "$K" 2>/dev/null
T=$W/x mp modprobe_external /dev/null -n -v mod_c
want modprobe_external 0 "insmod $km/mod_a.ko " "insmod $km/mod_b.ko " "insmod $W/ext/mod_c.ko "

# modprobe_module_from_abspath / _relpath: a module given as a path is
# loaded from that file, whatever the tree says (its mod_a is another file).
mkdir -p "$W/home"
cp "$MODS/mod_a.ko" "$W/home/"
for a in "$W/home/mod_a.ko" ./mod_a.ko; do
  case $a in /*) _n=modprobe_module_from_abspath ;; *) _n=modprobe_module_from_relpath ;; esac
  cd "$W/home" || exit 1
  [ -n "$K34" ] && mp "$_n" /dev/null -n -v "$a"
  timeout 10 "$MODPROBE" -C /dev/null -d "$W/p" -S "$K" -n -v "$a" 2>&1 | head -c 100000 >"$W/ap"
  cd "$TOP" || exit 1
  # kmod puts the working directory before a relative path as typed.
  case $a in /*) _p=$a ;; *) _p=$W/home/$a ;; esac
  if [ "$(cat "$W/ap")" = "insmod $_p " ]; then
    ok "$_n ($a): $(cat "$W/ap")"
  else
    bad "$_n ($a):"; head -n 4 "$W/ap"
  fi
done

# module_param_kcmdline: /proc/cmdline replaced in a private mount
# namespace; -c and --show-depends of both tools must agree.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  # kc NAME CMDLINE WANT ARGS...: both tools under that kernel command line;
  # the weakdep lines (kmod 30 knows none; test_weakdep checks them) set
  # aside, and kmod's prefix of the messages its library prints before the
  # tool's logger is set up ("libkmod: ERROR: FUNCTION: "; kmod 30 adds the
  # source line) read as the tool's.  Our options, blacklist and insmod
  # lines must be WANT's, the lines of kmod's correct.txt.
  kc() {
    _n=$1 _l=$2 _w=$3; shift 3
    printf '%s\n' "$_l" >"$W/cmdline"
    printf 'quiet\n' >"$W/plain"
    for _x in "$KMOD_MODPROBE:cmdline:k" "$MODPROBE:cmdline:o" "$MODPROBE:plain:p"; do
      _t=${_x##*:} _x=${_x%:*}
      # shellcheck disable=SC2016
      unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && timeout 10 "$@" 2>&1; echo "rc=$?"' sh "$W/${_x##*:}" \
        "${_x%:*}" -C /dev/null -d "$W/p" -S "$K" "$@" | head -c 100000 | sed "s|$W/p||g" | grep -v '^weakdep ' |
        sed -E 's/^libkmod: ERROR:? ([^ ]+:[0-9]+ )?[a-z_]+: /modprobe: ERROR: /' >"$W/kc.$_t"
    done
    # The command line must matter: without it the output is another.
    if cmp -s "$W/kc.k" "$W/kc.o" && grep -q '^rc=' "$W/kc.o" && ! cmp -s "$W/kc.o" "$W/kc.p"; then
      ok "$_n: as kmod's modprobe ($(($(wc -l <"$W/kc.o") - 1)) lines, $(tail -n 1 "$W/kc.o"))"
    else
      bad "$_n: differs from kmod, or the command line is not read"; diff "$W/kc.k" "$W/kc.o" | head -n 6
    fi
    printf '%s\n' "$_w" >"$W/kc.w"
    grep -E '^(options|blacklist|insmod) ' "$W/kc.o" >"$W/kc.g"
    if cmp -s "$W/kc.w" "$W/kc.g"; then
      ok "$_n: kmod's expected lines ($(wc -l <"$W/kc.w"))"
    else
      bad "$_n: not kmod's expected lines"; diff "$W/kc.w" "$W/kc.g" | head -n 6
    fi
  }
  # modprobe_show_depends for loaded modules: mod_a and mod_b live in a
  # private /sys/module; --show-depends still lists them, -n skips them.
  for a in --show-depends -n; do
    for _x in "$KMOD_MODPROBE:k" "$MODPROBE:o"; do
      # shellcheck disable=SC2016
      unshare -m sh -c 'mount -t tmpfs none /sys/module || exit 99
        for n in mod_a mod_b; do mkdir -p /sys/module/$n/holders; echo live >/sys/module/$n/initstate; echo 1 >/sys/module/$n/refcnt; done
        timeout 10 "$@" 2>&1; echo "rc=$?"' sh "${_x%:*}" -C /dev/null -d "$W/p" -S "$K" -v "$a" mod_c |
        head -c 100000 | sed "s|$W/p||g" >"$W/ld.${_x##*:}"
    done
    if cmp -s "$W/ld.k" "$W/ld.o" && grep -q '^rc=0' "$W/ld.o"; then
      ok "modprobe_show_depends, loaded modules ($a): as kmod's ($(($(wc -l <"$W/ld.o") - 1)) lines)"
    else
      bad "modprobe_show_depends, loaded modules ($a)"; diff "$W/ld.k" "$W/ld.o" | head -n 6
    fi
  done
  # kmod's command lines, with names of our own.
  kc modprobe_param_kcmdline_show_deps 'initrd=\initramfs-6.1.img mod_a.foo mod_a.bar=1 root=/dev/sda2 rootfstype=ext4 add_efi_memmap quiet rw' \
    "insmod $km/mod_a.ko foo bar=1 " --show-depends mod-a
  kc modprobe_param_kcmdline2 'mousedrv.foo mousedrv.bar=1 quiet rw' 'options mousedrv foo
options mousedrv bar=1' -c
  kc modprobe_param_kcmdline3 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-57-amd64 initrd=\initramfs-6.1.img mousedrv.foo mousedrv.bar=1 root=/dev/sda2 rootfstype=ext4 add_efi_memmap quiet rw' \
    'options mousedrv foo
options mousedrv bar=1' -c
  kc modprobe_param_kcmdline4 'testmod.testparam=1.5G' 'options testmod testparam=1.5G' -c
  kc modprobe_param_kcmdline5 'mousedrv.foo mousedrv.bar=1 mousedrv.foobar="test 1" mousedrv."invalid option" " notamodule" "notamodule2 " notamodule3 quiet rw' \
    'options mousedrv foo
options mousedrv bar=1
options mousedrv foobar="test 1"' -c
  kc modprobe_param_kcmdline6 'mousedrv.foo=2 ivrs_acpihid[14:00.5]=AMD0020:00 mousedrv.bar=1 mousedrv.zinga=test' \
    'options mousedrv foo=2
options mousedrv bar=1
options mousedrv zinga=test' -c
  kc modprobe_param_kcmdline7 'mousedrv.foo pport.dyndbg="file drivers/parport/ieee1284_ops.c +mpf" quiet rw' \
    'options mousedrv foo
options pport dyndbg="file drivers/parport/ieee1284_ops.c +mpf"' -c
  kc modprobe_param_kcmdline8 'mousedrv.foo "pport.dyndbg=file drivers/parport/ieee1284_ops.c +mpf" quiet rw' \
    'options mousedrv foo
options pport dyndbg="file drivers/parport/ieee1284_ops.c +mpf"' -c
  kc modprobe_param_kcmdline9 'modprobe.blacklist=foo,bar modprobe.blacklist=foo2 quiet modprobe.blacklist=bar2 rw modprobe.blacklist=foobar' \
    'blacklist foo
blacklist bar
blacklist foo2
blacklist bar2
blacklist foobar' -c
  # Beyond kmod's: other shapes of parameters and names (kmod keeps " .y"
  # as options for a module without a name, and drops a parameter with a
  # dot of its own).
  kc "modprobe_param_kcmdline (more)" 'mod_a= =x .y mod_b.level=1 console=ttyS0,115200n8 x.y.z=1 mod_c.a.b=1 splash' \
    'options  y
options mod_b level=1' -c
else
  echo "  skip  modprobe_param_kcmdline*: needs root and unshare -m (not counted)"
fi

# The loads themselves, as kmod's harness sees them through its fake
# kernel: both tools run for real under strace, which answers every
# finit_module/init_module call itself (the call never reaches the kernel)
# and records it.  The calls (flags, image size, parameters), the output
# and the exit status must be kmod's.  FINIT is the answer to
# finit_module: "retval=0" (a current kernel) or "error=ENOSYS" (one
# without it, where init_module must follow).
if command -v strace >/dev/null && strace -qq -e inject=finit_module:error=ENOSYS -o /dev/null true 2>/dev/null; then
  # A call line without pid and address, the descriptor shown by the name
  # of its file (strace -y).  The trailing space kmod leaves after
  # configured options (and the kernel skips) is set aside: ours passes the
  # parameters without it.
  callsed='s/^[0-9]+ +//; s/0x[0-9a-f]+/ADDR/; s/finit_module\([0-9]+<[^>]*\/([^/>]+)>,/finit_module(\1,/; s/ +", /", /; s/ +=/ =/'
  # loaded FILE: the files of the finit_module calls in FILE, on one line.
  loaded() { sed -nE 's/^finit_module\(([^,]+),.*/\1/p' "$1" | tr '\n' ' '; }
  # calls TOOL FINIT CONF TREE KVER ARGS...: the normalized call log, then
  # the output and "rc=N"; FAIL lines when a call was not intercepted.
  calls() {
    _x=$1 _f=$2 _c=$3 _t=$4 _k=$5; shift 5
    timeout 10 strace -f -qq -y -e trace=init_module,finit_module -e inject=finit_module:"$_f" \
      -e inject=init_module:retval=0 -o "$W/sc" "$_x" -C "$_c" -d "$_t" -S "$_k" "$@" >"$W/so" 2>&1
    _r=$?
    grep 'init_module(' "$W/sc" | grep -v '(INJECTED)$' | sed 's/^/NOT INTERCEPTED /'
    grep 'init_module(' "$W/sc" | sed -E "$callsed"
    head -c 100000 "$W/so" | sed "s|$_t||g"
    echo "rc=$_r"
  }
  # ld NAME FINIT CONF TREE KVER ARGS...: kmod's calls and ours alike; with
  # WANT set, our finit_module calls are for exactly its files, in order
  # (kmod's modules_loaded).
  ld() {
    _n=$1; shift
    calls "$KMOD_MODPROBE" "$@" >"$W/lk"
    calls "$MODPROBE" "$@" >"$W/lo"
    if cmp -s "$W/lk" "$W/lo" && ! grep -q 'NOT INTERCEPTED' "$W/lk" "$W/lo"; then
      ok "$_n: kmod's load calls ($(grep -c 'init_module(' "$W/lo") calls, $(tail -n 1 "$W/lo"))"
    else
      bad "$_n: load calls differ from kmod's"; diff "$W/lk" "$W/lo" | head -n 8
    fi
    if [ -n "${WANT:-}" ]; then
      if [ "$(loaded "$W/lo")" = "$WANT " ] && [ "$(tail -n 1 "$W/lo")" = rc=0 ]; then
        ok "$_n: loads $WANT, rc=0"
      else
        bad "$_n: loads $(loaded "$W/lo")(not $WANT), $(tail -n 1 "$W/lo")"
      fi
    fi
  }
  ld "modprobe (load)" retval=0 /dev/null "$W/p" "$K" mod_c
  ld "modprobe_oldkernel (load)" error=ENOSYS /dev/null "$W/old" 3.3.3 mod_c
  for f in force force-modversion force-vermagic; do
    ld "modprobe_force (--$f, load)" retval=0 /dev/null "$W/p" "$K" "--$f" mod_c
    ld "modprobe_oldkernel_force (--$f, load)" error=ENOSYS /dev/null "$W/old" 3.3.3 "--$f" mod_c
  done
  ld "modprobe_external (load)" retval=0 /dev/null "$W/x" "$K" mod_c
  ld "modprobe_builtin (load)" retval=0 /dev/null "$W/p" "$K" fake_unix
  ld "modprobe_softdep_loop (load)" retval=0 "$W/softdep.conf" "$W/p" "$K" mod_a
  ld "modprobe_softdep_loop (pre loop, load)" retval=0 "$W/softdep2.conf" "$W/p" "$K" mod_a
  if [ -n "$K34" ]; then
    WANT="mod_a.ko" ld "modprobe_weakdep_loop (load)" retval=0 "$W/weak.conf" "$W/p" "$K" mod_a
    WANT="mod_a.ko mod_b.ko mod-d.ko mod_e.ko" ld "modprobe_weakdep_loop (mod_e, load)" retval=0 "$W/weak.conf" "$W/p" "$K" mod_e
  else
    # kmod 30 knows no weakdep: our calls with the loop configured are its
    # own with no configuration.
    calls "$KMOD_MODPROBE" retval=0 /dev/null "$W/p" "$K" mod_e >"$W/lk"
    calls "$MODPROBE" retval=0 "$W/weak.conf" "$W/p" "$K" mod_e >"$W/lo"
    if cmp -s "$W/lk" "$W/lo" && ! grep -q 'NOT INTERCEPTED' "$W/lo"; then
      ok "modprobe_weakdep_loop (load): $(grep -c 'init_module(' "$W/lo") calls, no weak dependency loaded"
    else
      bad "modprobe_weakdep_loop (load)"; diff "$W/lk" "$W/lo" | head -n 8
    fi
  fi
  # A module given as a path: exactly one call, for that file.
  for a in "$W/home/mod_a.ko" ./mod_a.ko; do
    case $a in /*) _n=modprobe_module_from_abspath ;; *) _n=modprobe_module_from_relpath ;; esac
    cd "$W/home" || exit 1
    [ -n "$K34" ] && ld "$_n (load)" retval=0 /dev/null "$W/p" "$K" "$a"
    calls "$MODPROBE" retval=0 /dev/null "$W/p" "$K" "$a" >"$W/lo"
    cd "$TOP" || exit 1
    # The one call is for the file given, not the tree's mod_a.
    if [ "$(grep -c 'init_module(' "$W/sc")" = 1 ] && grep -q "^[0-9]* *finit_module([0-9]*<$W/home/mod_a.ko>," "$W/sc" &&
      ! grep -q 'NOT INTERCEPTED' "$W/lo" && [ "$(tail -n 1 "$W/lo")" = rc=0 ]; then
      ok "$_n ($a, load): one finit_module call, for that file, rc=0"
    else
      bad "$_n ($a, load)"; head -n 6 "$W/sc"
    fi
  done
  # module_param_kcmdline: the kernel command line's parameters reach the
  # load call (a private /proc/cmdline, as above).
  if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    printf 'quiet mod_c.level=3 mod_b.x=1 mod_a.flag\n' >"$W/cmdline"
    for _x in "$KMOD_MODPROBE:k" "$MODPROBE:o"; do
      # shellcheck disable=SC2016
      unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && exec "$@"' sh "$W/cmdline" \
        timeout 10 strace -f -qq -y -e trace=init_module,finit_module -e inject=finit_module:retval=0 \
        -e inject=init_module:retval=0 -o "$W/kcs.${_x##*:}" "${_x%:*}" -C /dev/null -d "$W/p" -S "$K" mod_c >/dev/null 2>&1
      grep 'init_module(' "$W/kcs.${_x##*:}" | sed -E "$callsed" >"$W/kcl.${_x##*:}"
    done
    if cmp -s "$W/kcl.k" "$W/kcl.o" && grep -q '"level=3"' "$W/kcl.o" && [ "$(grep -vc '(INJECTED)$' "$W/kcl.o")" = 0 ]; then
      ok "modprobe_param_kcmdline (load): the command line's parameters in kmod's calls ($(grep -c . "$W/kcl.o") calls)"
    else
      bad "modprobe_param_kcmdline (load)"; diff "$W/kcl.k" "$W/kcl.o" | head -n 12
    fi
  fi
else
  echo "  skip  load calls under strace: no strace with inject (not counted)"
fi

# The loads as kmod's testsuite sees them (its modules_loaded): each tool
# runs in its own mount namespace over an empty tmpfs /sys/module, with
# tests/fake_kernel_preload.c answering its module calls (nothing reaches
# the kernel) and marking each module it loads live there, so that what is
# loaded stays loaded for the rest of the run and for the runs it starts.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null &&
  cc -shared -fPIC -O1 -o "$W/fk.so" tests/fake_kernel_preload.c -ldl 2>"$W/fk.err"; then
  # fk_reaches TOOL: the library is in place when TOOL runs.
  fk_reaches() {
    rm -f "$W/fk.probe"
    MNG_FAKE_PROBE=$W/fk.probe LD_PRELOAD=$W/fk.so "$1" --version >/dev/null 2>&1
    [ -s "$W/fk.probe" ]
  }
  fk_ready=yes
  for _x in "$KMOD_MODPROBE" "$MODPROBE"; do
    fk_reaches "$_x" || { bad "fake kernel: $_x runs without it (a static binary?): no loads tried"; fk_ready=; }
  done
  # fk NAME WANT CONF TREE KVER ARGS...: both tools load ARGS, through a
  # wrapper that $MODPROBE also names (for install commands); the modules
  # loaded (with their parameters) and the exit must be alike, and ours
  # WANT (names in order) with exit 0.  FK_NO_FINIT=1: a kernel without
  # finit_module; FK_SOLO=1: ours alone (the reference lacks the feature).
  fk() {
    _n=$1 _w=$2 _c=$3 _t=$4 _k=$5; shift 5
    [ -n "$fk_ready" ] || return 0
    for _x in "$KMOD_MODPROBE:k" "$MODPROBE:o"; do
      _s=${_x##*:} _x=${_x%:*}
      [ "$_s" = k ] && [ "${FK_SOLO:-0}" = 1 ] && continue
      printf '#!/bin/sh\nexec "%s" -C "%s" -d "%s" -S "%s" "$@"\n' "$_x" "$_c" "$_t" "$_k" >"$W/fkmp.$_s"
      chmod +x "$W/fkmp.$_s"
      : >"$W/fk.$_s"
      # shellcheck disable=SC2016
      MNG_FAKE_LOG=$W/fk.$_s MNG_FAKE_NO_FINIT=${FK_NO_FINIT:-0} MODPROBE=$W/fkmp.$_s unshare -m sh -c \
        'mount -t tmpfs none /sys/module || exit 99; LD_PRELOAD=$0 timeout 10 "$@" >/dev/null 2>&1; echo "rc=$?"' \
        "$W/fk.so" "$W/fkmp.$_s" "$@" | head -c 100000 >>"$W/fk.$_s"
    done
    _got=$(sed -n 's/^\([^ =]*\) .*/\1/p' "$W/fk.o" | tr '\n' ' ')
    if { [ "${FK_SOLO:-0}" = 1 ] || cmp -s "$W/fk.k" "$W/fk.o"; } && [ "$_got" = "${_w:+$_w }" ] && [ "$(tail -n 1 "$W/fk.o")" = rc=0 ]; then
      ok "$_n (loaded): ${_w:-nothing}, rc=0${FK_SOLO:+ (ours alone)}"
    else
      bad "$_n (loaded): $_got$(tail -n 1 "$W/fk.o"), not $_w rc=0, or not as kmod's"; diff "$W/fk.k" "$W/fk.o" 2>/dev/null | head -n 6
    fi
  }
  fk modprobe_force mod_a /dev/null "$W/p" "$K" --force mod_a
  fk "modprobe_force (mod_c)" "mod_a mod_b mod_d mod_c mod_e" /dev/null "$W/p" "$K" --force mod_c
  FK_NO_FINIT=1 fk modprobe_oldkernel mod_a /dev/null "$W/old" 3.3.3 mod_a
  FK_NO_FINIT=1 fk modprobe_oldkernel_force mod_a /dev/null "$W/old" 3.3.3 --force mod_a
  fk modprobe_external "mod_a mod_b mod_c" /dev/null "$W/x" "$K" mod_c
  fk modprobe_builtin "" /dev/null "$W/p" "$K" fake_unix
  fk modprobe_softdep_loop "mod_a mod_b" "$W/softdep.conf" "$W/p" "$K" mod_a
  fk "modprobe_softdep_loop (pre loop)" "mod_a mod_b mod_d mod_e" "$W/softdep2.conf" "$W/p" "$K" mod_a
  FK_SOLO=$([ -n "$K34" ] && echo 0 || echo 1) fk modprobe_weakdep_loop mod_a "$W/weak.conf" "$W/p" "$K" mod_a
  # kmod's install-command loop: mod_a's install command (mod_b needs
  # mod_a) loads mod_a itself, then asks for mod_b again, whose dependency
  # is loaded by then; the first run finds mod_b loaded and stops.
  # shellcheck disable=SC2016 # $MODPROBE is for the install command's shell
  printf 'install mod_a $MODPROBE --ignore-install mod_a && { $MODPROBE --quiet mod_b ; }\n' >"$W/install-loop.conf"
  fk modprobe_install_cmd_loop "mod_a mod_b" "$W/install-loop.conf" "$W/p" "$K" mod_b
  cd "$W/home" || exit 1
  FK_SOLO=$([ -n "$K34" ] && echo 0 || echo 1) fk modprobe_module_from_abspath mod_a /dev/null "$W/p" "$K" "$W/home/mod_a.ko"
  FK_SOLO=$([ -n "$K34" ] && echo 0 || echo 1) fk modprobe_module_from_relpath mod_a /dev/null "$W/p" "$K" ./mod_a.ko
  cd "$TOP" || exit 1
else
  echo "  skip  loads through the fake kernel: needs root, unshare -m and cc (not counted)"
fi
