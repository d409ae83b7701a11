#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2016,SC1003 # $(...) and quotes in single quotes are the point
# Module names and command-line arguments never reach a shell.
#
# Every run is under strace (execve, execveat and the module system calls;
# init_module, finit_module and delete_module are failed with EPERM by
# strace, so nothing reaches the kernel even by mistake) in a temp dir, on
# a small tree whose module files have hostile names.  Names and arguments
# full of shell metacharacters (; $() `` | && > * quotes backslash space
# newline, leading dashes after --) each try to create a file PWN.
#  - depmod on the hostile tree: no execve, every file in modules.dep.
#  - modprobe, kmod mode and legacy mode (-C .../modules.conf, -t TAG,
#    patterns), no configuration commands: no execve at all.
#  - configured install / pre-install / post-install commands: exactly one
#    /bin/sh -c per command, whose text is the configuration's alone; the
#    module name arrives only in MODPROBE_MODULE, the parameters (for
#    $CMDLINE_OPTS) only through the environment, literally.
#  - never a PWN file, never a module system call.
# Env: B (build dir, default build).  Exits non-zero if any check fails.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
OURS=$MODPROBE
KMOD=/usr/sbin/modprobe
MODS=$BABS/testmods
unset MODPROBE_OPTIONS MODULECONFIG CMDLINE_OPTS
set -f  # no globbing of unquoted words (patterns are passed as written)

if [ ! -x "$OURS" ] || [ ! -x "$DEPMOD" ]; then echo "FAIL $OURS or $DEPMOD not built"; exit 1; fi
[ -f "$MODS/mod_a.ko" ] || make -s B="$B" "$B/testmods.stamp" >/dev/null || { echo "FAIL no test modules"; exit 1; }
KVER=$(cat "$MODS/kver")
need_pkgs strace
if ! strace -f -qq -e trace=execve -o /dev/null true 2>/dev/null; then
  echo "SKIP strace missing or not allowed to trace here"
  exit 0
fi

# No '-' or '_' in the path: modprobe turns '-' into '_' in names, which
# would send a successful injection's touch to a directory that does not exist.
W=$(mktemp -d /tmp/shellmetaXXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT INT TERM
PWN=$W/PWN
ROOT=$W/root
MD=$ROOT/lib/modules/$KVER
n_ok=0 n_fail=0
ok()  { n_ok=$((n_ok + 1));     echo "  ok    $*"; }
bad() { n_fail=$((n_fail + 1)); echo "  FAIL  $*"; }
show() { printf '%s' "$1" | tr '\n' '~'; }

# with_names CMD...: runs CMD... with every hostile name appended.
with_names() {
  "$@" "a;touch $PWN" "b\$(touch $PWN)" "c\`touch $PWN\`" "d|touch $PWN" "e&&touch $PWN" \
    "f'\"\\" "g>$PWN" "*;touch $PWN" "h touch $PWN" "i
touch $PWN" "-j;touch $PWN" "--k=\$(touch $PWN)" "l\${IFS}touch\${IFS}$PWN" "m';touch $PWN;'"
}
# for_each FUNC ARG...: FUNC ARG for each ARG.
for_each() { f=$1; shift; for a in "$@"; do "$f" "$a"; done; }

# traced CMD...: runs CMD in $W under strace; sets rc, $W/out, $W/err, $W/log.
traced() {
  (cd "$W" && exec strace -f -qq -v -s 65536 -o "$W/log" \
     -e trace=execve,execveat,init_module,finit_module,delete_module \
     -e inject=init_module,finit_module,delete_module:error=EPERM "$@") >"$W/out" 2>"$W/err"
  rc=$?
}
pwned() { [ -n "$(find "$W" -name 'PWN*')$(find / -maxdepth 1 -name 'PWN*')" ]; }
# (successful ones: a PATH search logs its failed attempts too)
execs() { grep -E '^[0-9]+ +execve(at)?\(' "$W/log" | grep -v '= -1 E'; }
# checked WHAT NEXEC: after traced, NEXEC execve in all (1 = only the
# program itself), no module system call, no PWN.
checked() {
  nx=$(execs | wc -l)
  [ "$nx" -eq "$2" ] || { bad "$1: $nx execve, want $2"; execs | cut -c1-300 | sed 's/^/        /'; }
  ! grep -q -E '^[0-9]+ +(f?init|delete)_module\(' "$W/log" || bad "$1: a module system call"
  if pwned; then bad "$1: PWN created"; find "$W" -name 'PWN*' -exec rm -f {} +; fi
  runs=$((runs + 1))
}
group() { gname=$1 gfail=$n_fail runs=0; }
endgroup() { [ "$n_fail" -ne "$gfail" ] || ok "$gname ($runs runs)"; }
# sh_cmds: the command strings given to /bin/sh -c, one a line.
sh_cmds() { execs | sed -n 's/^[0-9]* *execve("\/bin\/sh", \["\/bin\/sh", "-c", "\(.*\)"\], \[.*/\1/p'; }

# ---- harness self-test: a real injection is seen ----------------------------
traced sh -c "touch '$PWN'"
if [ "$(execs | wc -l)" -eq 2 ] && pwned; then ok "harness sees a child's execve and a created PWN"; else bad "harness blind"; fi
rm -f "$PWN"

# ---- depmod on hostile file names --------------------------------------------
# mod_b needs sym_a from mod_a, here under a hostile name; mod_c needs mod_b,
# mod_e needs mod-d and mod_b.
mkdir -p "$MD/kernel/misc" "$MD/kernel/drivers/net"
cp "$MODS/mod_b.ko" "$MODS/boot_one.ko" "$MD/kernel/misc/"
cp "$MODS/boot_one.ko" "$MODS/boot_two.ko" "$MD/kernel/drivers/net/"
# (No white space in the names of modules that others need: modules.dep
# separates dependencies with spaces, for kmod too.)
set -- 'y$(touch${IFS}PWN)' mod_a 'x;touch PWN' boot_one 'z`touch PWN`' boot_two '-n;touch PWN' fail_init \
  "q'\"\\" mod_c 'g>PWN' mod_e 'd|touch${IFS}PWN' mod-d 'nl
touch PWN' boot_one 'w$(touch${IFS}PWN)' boot_two 'v&&touch${IFS}PWN' boot_one
hostile_files=
while [ $# -gt 0 ]; do
  cp "$MODS/$2.ko" "$MD/kernel/misc/$1.ko"
  hostile_files="$hostile_files$1/"   # '/' cannot be in a file name
  shift 2
done
group "depmod: no execve, hostile file names listed in modules.dep"
traced "$DEPMOD" -b "$ROOT" "$KVER"
checked "depmod -b ROOT" 1
[ "$rc" -eq 0 ] || bad "depmod exit $rc: $(head -n 3 "$W/err")"
dep=$(printf '\n'; cat "$MD/modules.dep")
IFS=/
for f in $hostile_files; do
  IFS=' '
  case $dep in *"
kernel/misc/$f.ko:"*) ;; *) bad "kernel/misc/$(show "$f").ko not in modules.dep" ;; esac
done
IFS=' 	
'
case $dep in *'
kernel/misc/mod_b.ko: kernel/misc/y$(touch${IFS}PWN).ko
'*) ;; *) bad "mod_b's dependency on 'y\$(touch\${IFS}PWN).ko' missing" ;; esac
endgroup

# ---- modprobe, no configuration commands ------------------------------------
mkdir -p "$W/empty.d" "$W/leg"
echo '# no commands' >"$W/leg/modules.conf"
mp()  { traced "$OURS" -d "$ROOT" -S "$KVER" -C "$W/empty.d" "$@"; }
lmp() { traced "$OURS" -d "$ROOT" -S "$KVER" -C "$W/leg/modules.conf" "$@"; }

notfound() {  # after traced: the name was looked up and not found
  case $(cat "$W/err") in *"not found"*|*"Can't locate"*|*"Nothing to load"*) ;; *) bad "$1: no not-found message: $(head -c 200 "$W/err")" ;; esac
}
kmod_name() {
  what="kmod mode, name $(show "$1")"
  mp -- "$1";             checked "$what" 1; notfound "$what"
  mp -n -v -- "$1";       checked "$what, -n" 1; notfound "$what, -n"
  mp -r -- "$1";          checked "$what, -r" 1
  mp -n -v -- mod_b "$1"; checked "$what as parameter of mod_b, -n" 1
  grep -q -F "insmod $MD/kernel/misc/y\$(touch\${IFS}PWN).ko" "$W/out" || bad "$what: -n -v mod_b does not show the hostile dependency"
}
group "modprobe (kmod mode), no commands: no execve"
with_names for_each kmod_name
with_names mp -a -n -v --; checked "kmod mode, -a -n -v all names" 1
for f in 'y$(touch${IFS}PWN)' 'x;touch PWN' '-n;touch PWN' "q'\"\\"; do
  mp -n -v -- "$f" 'p=$(touch PWN)'; checked "kmod mode, module $(show "$f"), -n" 1
  if [ "$rc" -ne 0 ] || ! grep -q -F "insmod $MD/kernel/misc/$f.ko" "$W/out"; then
    bad "module file $(show "$f").ko not found by modprobe -n"
  fi
done
endgroup

legacy_name() {
  what="legacy mode, name $(show "$1")"
  lmp -- "$1";                   checked "$what" 1; notfound "$what"
  lmp -n -v -t net -- "$1*";     checked "$what, -n -t net PATTERN" 1
  lmp -n -v -t misc -- "$1";     checked "$what, -n -t misc" 1
  lmp -l -t misc -- "$1*";       checked "$what, -l -t misc PATTERN" 1
  lmp -n -v -- boot_two "$1";    checked "$what as parameter of boot_two, -n" 1
  lmp -r -n -- "$1";             checked "$what, -r -n" 1
}
group "modprobe (legacy mode: -C .../modules.conf, -t, patterns), no commands: no execve"
with_names for_each legacy_name
# Hostile patterns matching hostile files.
for p in 'x;*' 'y$(*' 'z`*' '-n;*' "q'*" 'g>*' '*PWN*'; do
  lmp -n -v -t misc -- "$p"; checked "legacy mode, -n -t misc $(show "$p")" 1
  grep -q "^/sbin/insmod $MD/kernel/misc/" "$W/out" || bad "legacy -n -t misc $(show "$p"): nothing matched"
done
lmp -l -t misc; checked "legacy mode, -l -t misc" 1
[ "$(grep -c -F "$MD/kernel/misc/" "$W/out")" -ge 10 ] || bad "legacy -l -t misc lists $(grep -c . "$W/out") lines"
endgroup

# ---- configured commands -----------------------------------------------------
# Parameters whose text must arrive literally (option words without quotes
# or white space), and ones with quotes and newlines (which kmod's option
# syntax rewrites: only "no PWN" is checked for those).
P1="p=1;touch $PWN" P2="q=\$(touch $PWN)" P3="r=\`touch $PWN\`" P4="d=|touch $PWN&&touch $PWN" P5="g=>$PWN" P6="w=*;touch $PWN"
mkdir -p "$W/conf.d"
cat >"$W/conf.d/t.conf" <<EOF
install boot_one echo "\$CMDLINE_OPTS" > $W/OUT
install boot_two sh -c 'echo \$CMDLINE_OPTS > $W/OUT'
install w\$(touch\${IFS}PWN) printf %s "[\$MODPROBE_MODULE]" > $W/OUT
install v\$(touch\${IFS}$PWN) printf %s "[\$MODPROBE_MODULE]" > $W/OUT
alias u;touch\${IFS}$PWN boot_one
EOF
cmdmp() { traced "$OURS" -d "$ROOT" -S "$KVER" -C "$W/conf.d" "$@"; }

# one_sh WHAT NEXEC WANT_OUT: after traced, rc 0, NEXEC execve, OUT is
# WANT_OUT, no parameter text in the /bin/sh -c command.
one_sh() {
  checked "$1" "$2"
  [ "$rc" -eq 0 ] || bad "$1: exit $rc: $(head -c 300 "$W/err")"
  [ "$(sh_cmds | wc -l)" -eq 1 ] || bad "$1: $(sh_cmds | wc -l) /bin/sh -c commands, want 1"
  ! sh_cmds | grep -q 'touch' || bad "$1: parameter text in the shell command: $(sh_cmds)"
  [ "$(cat "$W/OUT" 2>/dev/null)" = "$3" ] || bad "$1: OUT is '$(cat "$W/OUT" 2>/dev/null)', want '$3'"
  rm -f "$W/OUT"
}
group "install commands: one /bin/sh -c, parameters arrive literally, no PWN"
cmdmp boot_one "$P1" "$P2" "$P3" "$P4" "$P5" "$P6"
one_sh 'install boot_one echo "$CMDLINE_OPTS"' 2 "$P1 $P2 $P3 $P4 $P5 $P6"
cmdmp boot_two "$P1" "$P2" "$P3" "$P4" "$P5" "$P6"
one_sh "install boot_two sh -c 'echo \$CMDLINE_OPTS'" 3 "$P1 $P2 $P3 $P4 $P5 $P6"
cmdmp boot_one "s=';touch $PWN;'" "t=\"\$(touch $PWN)\"" "u=x
touch $PWN #" 'v=\' "z=\"'\`touch $PWN\`'\""
checked "install boot_one, parameters with quotes and newlines" 2
cmdmp -n -v boot_one "$P1" "$P2"
checked "install boot_one, -n" 1
# The name only in MODPROBE_MODULE: the command text is the configuration's.
# shellcheck disable=SC2016
want_cmd='printf %s \"[$MODPROBE_MODULE]\" > '$W/OUT
for name in 'w$(touch${IFS}PWN)' "v\$(touch\${IFS}$PWN)"; do
  cmdmp "$name"
  one_sh "install for $(show "$name")" 2 "[$name]"
  [ "$(sh_cmds)" = "$want_cmd" ] || bad "install for $(show "$name"): shell command is $(sh_cmds)"
  execs | grep -q -F "\"MODPROBE_MODULE=$name\"" || bad "install for $(show "$name"): MODPROBE_MODULE not set to the name"
done
# An alias with a hostile name: the module's name, not the alias, is passed.
cmdmp "u;touch\${IFS}$PWN" "$P2"
one_sh "alias u;touch\${IFS}PWN" 2 "$P2"
execs | grep -q -F '"MODPROBE_MODULE=boot_one"' || bad "alias: MODPROBE_MODULE is not boot_one"
endgroup

# Legacy commands, and modprobe.d install commands in legacy mode.
mkdir -p "$W/leg2"
cat >"$W/leg2/modules.conf" <<EOF
pre-install boot_two echo "pre [\$MODPROBE_MODULE]" >> $W/OUT
install boot_two echo "install [\$MODPROBE_MODULE]" >> $W/OUT
post-install boot_two echo "post [\$MODPROBE_MODULE]" >> $W/OUT
pre-install w\$(touch\${IFS}PWN) echo "pre [\$MODPROBE_MODULE]" >> $W/OUT
install w\$(touch\${IFS}PWN) echo "install [\$MODPROBE_MODULE]" >> $W/OUT
EOF
l2mp() { traced "$OURS" -d "$ROOT" -S "$KVER" -C "$W/leg2/modules.conf" "$@"; }
group "legacy pre-install/install/post-install: one /bin/sh -c each, no PWN"
nl='
'
for args in "boot_two" "-t net boot_t*" "-t misc w*"; do
  # shellcheck disable=SC2086 # args are words
  l2mp $args "$P1" "$P2" "$P3" "$P4" "$P5" "$P6"
  case $args in *misc*) m='w$(touch${IFS}PWN)' nsh=2 ;; *) m=boot_two nsh=3 ;; esac
  want="pre [$m]${nl}install [$m]"
  [ "$nsh" -eq 3 ] && want="$want${nl}post [$m]"
  checked "legacy modprobe $args" $((nsh + 1))
  [ "$(sh_cmds | wc -l)" -eq "$nsh" ] || bad "legacy modprobe $args: $(sh_cmds | wc -l) /bin/sh -c commands, want $nsh"
  [ "$rc" -eq 0 ] || bad "legacy modprobe $args: exit $rc: $(head -c 300 "$W/err")"
  [ "$(cat "$W/OUT" 2>/dev/null)" = "$want" ] || bad "legacy modprobe $args: OUT is '$(cat "$W/OUT" 2>/dev/null)'"
  ! sh_cmds | grep -q 'touch' || bad "legacy modprobe $args: name or parameter in a shell command"
  rm -f "$W/OUT"
done
l2mp -n -v boot_two "$P2"
checked "legacy modprobe -n boot_two" 1
traced "$OURS" -d "$ROOT" -S "$KVER" -C "$W/leg/modules.conf" -C "$W/conf.d" boot_one "$P1" "$P2" "$P3" "$P4" "$P5" "$P6"
one_sh 'legacy mode, modprobe.d install boot_one echo "$CMDLINE_OPTS"' 2 "$P1 $P2 $P3 $P4 $P5 $P6"
endgroup

# ---- reference ---------------------------------------------------------------
# kmod pastes the parameters into the command text: with the same
# configuration its shell runs them (expected; not a check).
if [ -x "$KMOD" ]; then
  traced "$KMOD" -d "$ROOT" -S "$KVER" -C "$W/conf.d" boot_one "$P1" "$P2"
  if pwned; then echo "  note  kmod ($KMOD) on the same install command ran the parameters' touch"; else echo "  note  kmod ($KMOD) did not run the parameters' touch"; fi
fi

echo "check-shellmeta: $n_ok ok, $n_fail failed"
[ "$n_fail" -eq 0 ]
