# SPDX-License-Identifier: GPL-2.0-or-later
# The rest of kmod's modprobe cases, sourced by tests/check-kmod-cases.sh
# (with W, K, MODS, the tree $W/p and mp defined there).  Loads are -n dry
# runs, or real runs under strace whose every module call strace answers
# itself (nothing reaches the kernel).  Where kmod 30 lacks the feature the
# expected lines follow from the rule the case checks.

# --show-depends alone never asks the kernel to load: no init_module or
# finit_module call at all while it runs.
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  strace -f -e trace=init_module,finit_module -o "$W/st" "$MODPROBE" -C /dev/null -d "$W/p" -S "$K" --show-depends mod_c >/dev/null 2>&1
  if [ -s "$W/st" ] && ! grep -q 'init_module(' "$W/st"; then
    ok "modprobe_show_depends_no_load: no init_module/finit_module call"
  else
    bad "modprobe_show_depends_no_load: a load call was made"; head -n 4 "$W/st"
  fi
else
  echo "  skip  modprobe_show_depends_no_load: no usable strace (not counted)"
fi

# An alias in the configuration that leads to no module, an install
# command bypassed by --ignore-install.
printf 'alias mod_c no_such_module\ninstall mod_c /bin/false\n' >"$W/none.conf"
mp modprobe_show_alias_to_none "$W/none.conf" --show-depends --ignore-install mod_c
mp modprobe_show_exports /dev/null --show-exports "$W/p/lib/modules/$K/kernel/mod_a.ko"
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
for f in force force_modversion force_vermagic; do
  mp "modprobe_$f" /dev/null -n -v "--$(echo $f | tr _ -)" mod_c
done

# weakdep_loop: weak dependencies (a loop of them, from the configuration,
# and mod_c's own weakdep=mod_e) are never loaded: the dry run of each
# module equals kmod 30's with no configuration at all.
printf 'weakdep mod_a mod_e\nweakdep mod_e mod_a\nweakdep mod_b mod-d\n' >"$W/weak.conf"
for m in mod_a mod_e mod_c; do
  timeout 10 "$KMOD_MODPROBE" -C /dev/null -d "$W/p" -S "$K" -n -v "$m" 2>&1 | head -c 100000 >"$W/kw"
  timeout 10 "$MODPROBE" -C "$W/weak.conf" -d "$W/p" -S "$K" -n -v "$m" 2>&1 | head -c 100000 >"$W/ow"
  if cmp -s "$W/kw" "$W/ow"; then
    ok "modprobe_weakdep_loop ($m): $(wc -l <"$W/kw") insmod lines, no weak dependency"
  else
    bad "modprobe_weakdep_loop ($m)"; diff "$W/kw" "$W/ow" | head -n 6
  fi
done
# test_weakdep: a module's weak dependencies are those of the configuration
# and those of its .modinfo; modprobe -c lists both.
timeout 10 "$MODPROBE" -C "$W/weak.conf" -d "$W/p" -S "$K" -c 2>/dev/null | head -c 100000 | grep '^weakdep' | sort >"$W/wc"
printf 'weakdep mod_a mod_e\nweakdep mod_b mod-d\nweakdep mod_c mod_e\nweakdep mod_e mod_a\n' | sort >"$W/we"
if cmp -s "$W/wc" "$W/we"; then
  ok "test_weakdep: -c lists the configured weakdeps and mod_c's mod_e"
else
  bad "test_weakdep: -c weakdep lines differ"; diff "$W/we" "$W/wc" | head -n 6
fi

# oldkernel: another release (3.3.3), with and without the --force options.
rm -rf "$W/old"
mkdir -p "$W/old/lib/modules/3.3.3/kernel"
cp "$MODS/mod_a.ko" "$MODS/mod_b.ko" "$MODS/mod_c.ko" "$W/old/lib/modules/3.3.3/kernel/"
"$DEPMOD" -b "$W/old" 3.3.3 2>/dev/null
for f in "" force force_modversion force_vermagic; do
  # shellcheck disable=SC2046
  T=$W/old TK=3.3.3 mp "modprobe_oldkernel${f:+_}$f" /dev/null -n -v $([ -n "$f" ] && echo "--$f" | tr _ -) mod_c
done

# external: a module found only through depmod.conf's "external" directory.
rm -rf "$W/x"
put "$W/x" kernel mod_a mod_b
put "$W/x" extra mod_c
printf 'search kernel external\nexternal %s %s\n' "$K" "$W/x/lib/modules/$K/extra" >"$W/x.conf"
"$DEPMOD" -b "$W/x" -C "$W/x.conf" "$K" 2>/dev/null
T=$W/x mp modprobe_external /dev/null -n -v mod_c

# A module given as a path, absolute or relative (kmod 30 lacks it: the
# rule is one insmod line of exactly that file, nothing looked up).
mkdir -p "$W/home"
cp "$MODS/mod_a.ko" "$W/home/"
for a in "$W/home/mod_a.ko" ./mod_a.ko; do
  (cd "$W/home" && timeout 10 "$MODPROBE" -C /dev/null -d "$W/p" -S "$K" -n -v "$a" 2>&1 | head -c 100000) >"$W/ap"
  if [ "$(cat "$W/ap")" = "insmod $W/home/mod_a.ko " ] || [ "$(cat "$W/ap")" = "insmod $a " ]; then
    ok "modprobe_module_from_path ($a): $(cat "$W/ap")"
  else
    bad "modprobe_module_from_path ($a):"; head -n 4 "$W/ap"
  fi
done

# module_param_kcmdline: /proc/cmdline replaced in a private mount
# namespace; -c and --show-depends of both tools must agree.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  # kc NAME CMDLINE ARGS...: both tools under that kernel command line; the
  # weakdep lines (kmod 30 knows none; test_weakdep checks them) set aside.
  kc() {
    _n=$1 _l=$2; shift 2
    printf '%s\n' "$_l" >"$W/cmdline"
    printf 'quiet\n' >"$W/plain"
    for _x in "$KMOD_MODPROBE:cmdline:k" "$MODPROBE:cmdline:o" "$MODPROBE:plain:p"; do
      _t=${_x##*:} _x=${_x%:*}
      # shellcheck disable=SC2016
      unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && timeout 10 "$@" 2>&1; echo "rc=$?"' sh "$W/${_x##*:}" \
        "${_x%:*}" -C /dev/null -d "$W/p" -S "$K" "$@" | head -c 100000 | sed "s|$W/p||g" | grep -v '^weakdep ' >"$W/kc.$_t"
    done
    # The command line must matter: without it the output is another.
    if cmp -s "$W/kc.k" "$W/kc.o" && grep -q '^rc=' "$W/kc.o" && ! cmp -s "$W/kc.o" "$W/kc.p"; then
      ok "$_n: as kmod's modprobe ($(($(wc -l <"$W/kc.o") - 1)) lines, $(tail -n 1 "$W/kc.o"))"
    else
      bad "$_n: differs from kmod, or the command line is not read"; diff "$W/kc.k" "$W/kc.o" | head -n 6
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
  kc modprobe_param_kcmdline_show_deps 'quiet mod_c.level=3 mod_c.name=x' --show-depends mod_c
  kc modprobe_param_kcmdline2 'mod_a.flag mod_b.level=1' -c
  kc modprobe_param_kcmdline3 'root=/dev/sda1 quiet mod_a.level=2 ro' -c
  kc modprobe_param_kcmdline4 'mod_a= =x .y mod_b.level=1 splash' -c
  kc modprobe_param_kcmdline5 'mod_a.name="a b c" mod_b.level=1' -c
  kc modprobe_param_kcmdline6 'initrd=/boot/a.img mod_a.level=5' -c
  kc modprobe_param_kcmdline7 'console=ttyS0,115200n8 x.y.z=1 mod_a.level=5' -c
  kc modprobe_param_kcmdline8 'BOOT_IMAGE=/vmlinuz-6.1.0 mod_c.a.b=1 mod_b.level=2' -c
  kc modprobe_param_kcmdline9 'modprobe.blacklist=mod_a,mod_b modprobe.blacklist=mod_e' -c
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
  # A call line without pid, fd and address.  The trailing space kmod
  # leaves after configured options (and the kernel skips) is set aside:
  # ours passes the parameters without it.
  callsed='s/^[0-9]+ +//; s/0x[0-9a-f]+/ADDR/; s/finit_module\([0-9]+,/finit_module(FD,/; s/ +", /", /; s/ +=/ =/'
  # calls TOOL FINIT CONF TREE KVER ARGS...: the normalized call log, then
  # the output and "rc=N"; FAIL lines when a call was not intercepted.
  calls() {
    _x=$1 _f=$2 _c=$3 _t=$4 _k=$5; shift 5
    timeout 10 strace -f -qq -e trace=init_module,finit_module -e inject=finit_module:"$_f" \
      -e inject=init_module:retval=0 -o "$W/sc" "$_x" -C "$_c" -d "$_t" -S "$_k" "$@" >"$W/so" 2>&1
    _r=$?
    grep 'init_module(' "$W/sc" | grep -v '(INJECTED)$' | sed 's/^/NOT INTERCEPTED /'
    grep 'init_module(' "$W/sc" | sed -E "$callsed"
    head -c 100000 "$W/so" | sed "s|$_t||g"
    echo "rc=$_r"
  }
  # ld NAME FINIT CONF TREE KVER ARGS...: kmod's calls and ours alike.
  ld() {
    _n=$1; shift
    calls "$KMOD_MODPROBE" "$@" >"$W/lk"
    calls "$MODPROBE" "$@" >"$W/lo"
    if cmp -s "$W/lk" "$W/lo" && ! grep -q 'NOT INTERCEPTED' "$W/lk" "$W/lo"; then
      ok "$_n: kmod's load calls ($(grep -c 'init_module(' "$W/lo") calls, $(tail -n 1 "$W/lo"))"
    else
      bad "$_n: load calls differ from kmod's"; diff "$W/lk" "$W/lo" | head -n 8
    fi
  }
  for f in "" force force_modversion force_vermagic; do
    o=$([ -n "$f" ] && echo "--$f" | tr _ -)
    # shellcheck disable=SC2086
    ld "modprobe${f:+_}${f:- (load)}" retval=0 /dev/null "$W/p" "$K" $o mod_c
    # shellcheck disable=SC2086
    ld "modprobe_oldkernel${f:+_}$f (load)" error=ENOSYS /dev/null "$W/old" 3.3.3 $o mod_c
  done
  ld "modprobe_external (load)" retval=0 /dev/null "$W/x" "$K" mod_c
  ld "modprobe_builtin (load)" retval=0 /dev/null "$W/p" "$K" fake_unix
  ld "modprobe_softdep_loop (load)" retval=0 "$W/softdep.conf" "$W/p" "$K" mod_a
  # weakdep_loop: our calls with the weakdep loop configured are kmod 30's
  # with no configuration (kmod 30 knows no weakdep).
  calls "$KMOD_MODPROBE" retval=0 /dev/null "$W/p" "$K" mod_e >"$W/lk"
  calls "$MODPROBE" retval=0 "$W/weak.conf" "$W/p" "$K" mod_e >"$W/lo"
  if cmp -s "$W/lk" "$W/lo" && ! grep -q 'NOT INTERCEPTED' "$W/lo"; then
    ok "modprobe_weakdep_loop (load): $(grep -c 'init_module(' "$W/lo") calls, no weak dependency loaded"
  else
    bad "modprobe_weakdep_loop (load)"; diff "$W/lk" "$W/lo" | head -n 8
  fi
  # A module given as a path: exactly one call, for that file (kmod 30
  # lacks it: the rule).
  for a in "$W/home/mod_a.ko" ./mod_a.ko; do
    (cd "$W/home" && calls "$MODPROBE" retval=0 /dev/null "$W/p" "$K" "$a") >"$W/lo"
    if [ "$(grep -c 'init_module(' "$W/lo")" = 1 ] && ! grep -q 'NOT INTERCEPTED' "$W/lo" && [ "$(tail -n 1 "$W/lo")" = rc=0 ]; then
      ok "modprobe_module_from_path ($a, load): one finit_module call, rc=0"
    else
      bad "modprobe_module_from_path ($a, load)"; head -n 6 "$W/lo"
    fi
  done
  # module_param_kcmdline: the kernel command line's parameters reach the
  # load call (a private /proc/cmdline, as above).
  if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    printf 'quiet mod_c.level=3 mod_b.x=1 mod_a.flag\n' >"$W/cmdline"
    for _x in "$KMOD_MODPROBE:k" "$MODPROBE:o"; do
      # shellcheck disable=SC2016
      unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && exec "$@"' sh "$W/cmdline" \
        timeout 10 strace -f -qq -e trace=init_module,finit_module -e inject=finit_module:retval=0 \
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
