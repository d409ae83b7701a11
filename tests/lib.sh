# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the tests/*.sh scripts; source it as the first step:
#   cd "$(dirname "$0")/.." && . tests/lib.sh
# It sets, from the environment or the defaults:
#   TOP            the repository (the current directory)
#   B, BABS        the build directory as given (default build) and absolute
#   DEPMOD, MODPROBE        our tools (default $B/depmod, $B/modprobe), absolute
#   KMOD_DEPMOD, KMOD_MODPROBE, KMOD_MODINFO   kmod's, the reference
#   MNG_CACHE      where the Debian kernel packages are kept
# and defines the helpers below.
TOP=$(pwd)
B=${B:-build}
export B
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$TOP/$1" ;; esac; }
BABS=$(abs "$B")
DEPMOD=$(abs "${DEPMOD:-$B/depmod}")
MODPROBE=$(abs "${MODPROBE:-$B/modprobe}")
KMOD_DEPMOD=${KMOD_DEPMOD:-/usr/sbin/depmod}
KMOD_MODPROBE=${KMOD_MODPROBE:-/usr/sbin/modprobe}
KMOD_MODINFO=${KMOD_MODINFO:-/usr/sbin/modinfo}
MNG_CACHE=${MNG_CACHE:-/var/cache/modutils-ng-test}

# ---- pass/fail counting -------------------------------------------------------
# ok TEXT / bad TEXT print one result line and count it; finish NAME prints
# "NAME: N passed, N failed" and exits non-zero when anything failed.
n_ok=0 n_fail=0
ok() { n_ok=$((n_ok + 1)); echo "  ok    $*"; }
bad() { n_fail=$((n_fail + 1)); echo "  FAIL  $*"; }
finish() {
  echo "$1: $n_ok passed, $n_fail failed"
  [ "$n_fail" -eq 0 ]
  exit $?
}

# ---- temporary files, removed on exit ------------------------------------------
_mng_cleanup=
cleanup_add() { _mng_cleanup="$_mng_cleanup $*"; trap '_mng_run_cleanup' EXIT INT TERM; }
_mng_run_cleanup() {
  # shellcheck disable=SC2086
  [ -z "$_mng_cleanup" ] || rm -rf $_mng_cleanup
}
# mng_tmpdir VAR NAME: VAR names a new directory /tmp/NAME.XXXXXX, removed
# when the script ends.
mng_tmpdir() {
  _d=$(mktemp -d "/tmp/$2.XXXXXX") || exit 1
  cleanup_add "$_d"
  eval "$1=\$_d"
}

# ---- output ---------------------------------------------------------------------
# bounded: at most 100000 bytes of its input (for output of a tool that might loop).
bounded() { head -c 100000; }

# ---- the test modules ---------------------------------------------------------
# need_testmods: sets MODS (absolute) and MODS_KVER; builds them when missing.
need_testmods() {
  MODS=$BABS/testmods
  [ -f "$MODS/mod_a.ko" ] || make -s B="$B" "$B/testmods.stamp" >/dev/null || {
    echo "FAIL no test modules in $MODS"
    exit 1
  }
  MODS_KVER=$(cat "$MODS/kver")
}

# run_unit_tests [CATCH ARGUMENTS]: runs $B/unit_tests on the test modules
# (building it when missing) and exits with its status.  A case that
# skipped itself says so with a Catch warning naming "skipped"; each is
# repeated as a "SKIP <case>: <reason>" line, so that run-checks.sh does not
# count the run as a full pass.
run_unit_tests() {
  need_testmods
  [ -x "$B/unit_tests" ] || make -s B="$B" "$B/unit_tests" || exit 1
  mng_tmpdir _ut unit-tests
  MNG_TESTMODS=$MODS "$BABS/unit_tests" "$@" >"$_ut/out" 2>&1
  _rc=$?
  cat "$_ut/out"
  # Catch prints a case's name between two rules of dashes, a warning as
  # "FILE:LINE: warning:" (or "warning:" alone on the next line) with its
  # text after it.
  awk '/^----------------------------------------+$/ { rule = !rule; if (rule) { getline name; } next }
       /^(.*: )?warning:$/ { getline text; if (text ~ /skip/) { sub(/^ +/, "", text); print "SKIP " name ": " text } }' "$_ut/out"
  exit $_rc
}

# need_pkgs PKG...: installs the Debian packages (or ARCH:arch
# architectures) this check needs and the machine lacks, through
# tests/setup-pkgs.sh; its messages go to the check's log.  Fails the
# check when that is not possible.
need_pkgs() {
  sh tests/setup-pkgs.sh --why "$(basename "$0" .sh)" "$@" || {
    echo "FAIL cannot install $* (tests/setup-pkgs.sh: needs root or sudo, and apt)"
    exit 1
  }
}

# need_tool PATH NAME: exits with a message when PATH is not executable.
need_tool() { [ -x "$1" ] || { echo "$2: $1 missing (make B=$B)"; exit 1; }; }

# ---- Debian kernel trees ------------------------------------------------------------
# debian_tree ARCH NAME: sets DEB_KVER and DEB_TREE (the unpacked
# lib/modules/KVER of tests/fetch-images.sh); prints "SKIP NAME: ..." and
# exits 0 when there is none.
debian_tree() {
  _line=$(sh tests/fetch-images.sh 2>/dev/null | grep "^$1 " || true)
  if [ -z "$_line" ]; then
    echo "SKIP $2: no Debian $1 kernel image (tests/fetch-images.sh failed)"
    exit 0
  fi
  # shellcheck disable=SC2086
  set -- $_line
  DEB_KVER=$2 DEB_TREE=$3
}

# debian_deb ARCH: prints the cached .deb that tests/fetch-images.sh last
# unpacked for ARCH (its kernel version is the tree's); fails without one.
debian_deb() {
  _id=$(cat "$B/images/$1.stamp" 2>/dev/null) || return 1
  set -- "$MNG_CACHE/${_id%% *}"
  [ -s "$1" ] && printf '%s\n' "$1"
}

# inputs_only SRC DIR: DIR becomes a hardlinked copy of the module tree SRC
# holding only depmod's inputs (modules.order, modules.builtin,
# modules.builtin.modinfo): depmod replaces files by rename, never writes
# into the shared ones.
inputs_only() { inputs_tree -al "$1" "$2"; }
# inputs_copy SRC DIR: the same as a real copy, every file with an inode
# of its own (a hardlink made elsewhere to a shared module changes its
# inode change time, which depmod's cache of module facts notices).
inputs_copy() { inputs_tree -a "$1" "$2"; }
# inputs_tree CP_FLAGS SRC DIR: both of the above.
inputs_tree() {
  mkdir -p "$(dirname "$3")"
  cp "$1" "$2" "$3"
  for _f in "$3"/modules.*; do
    is_depmod_input "$(basename "$_f")" || rm -f "$_f"
  done
}
is_depmod_input() { case $1 in modules.order | modules.builtin | modules.builtin.modinfo) return 0 ;; esac; return 1; }

# ---- make targets run as a check ---------------------------------------------------
# make_check NAME TARGET: runs `make TARGET`, prints how long it took, exits with its status.
make_check() {
  _t0=$(date +%s)
  make -s B="$B" "$2"
  _rc=$?
  echo "$1: exit $_rc after $(($(date +%s) - _t0))s"
  exit $_rc
}
