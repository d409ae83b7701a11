#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks the manual pages and `make install`:
#  1. every page in man/ renders under `man --warnings -l` with nothing at
#     all on standard error, and its title matches its file name;
#  2. `make install DESTDIR=<relative dir>` (and with PREFIX=/usr) puts the
#     programs, pages and bash completions where they belong: the pages
#     with the release from VERSION in their header and otherwise
#     unchanged, modprobe's completion under the name modutils-ng (never
#     `modprobe`, bash-completion's); `make install-strip` with SBINDIR and
#     MANDIR strips the programs and moves them, `make uninstall` removes
#     every file;
#  4. the bash completions load and complete module names, loaded modules,
#     kernel versions and options; modprobe's registers itself only when
#     the modprobe in PATH is modutils-ng's.
# Exit status 0 when everything holds.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MAKE=${MAKE:-make}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "check-man: FAIL: $*" >&2; }

need_pkgs man-db groff-base
for tool in man groff nroff; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check-man: $tool missing (tests/setup-pkgs.sh man-db groff-base)" >&2; exit 1; }
done

# A locale every Debian system has: man warns on stderr about a missing one.
LC_ALL=C.UTF-8
export LC_ALL
work="$B/check-man"
rm -rf "$work"
mkdir -p "$work"

# render FILE OUT: man's formatted text, MANWIDTH fixed so line breaking
# (and any warning about it) does not depend on the terminal.
render() {
  MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$1" >"$2" 2>"$2.err"
}

# 1. Rendering, from the source tree as `man -l` does it.
for page in man/*.[1-9]; do
  name=$(basename "$page")
  out="$work/$name.txt"
  if ! render "$page" "$out"; then
    bad "$page: man exited with status $?"; continue
  fi
  if [ -s "$out.err" ]; then
    bad "$page: warnings:"; sed 's/^/    /' "$out.err" >&2; continue
  fi
  # The header is TITLE(SECTION), from the file name, e.g. MODULES.CONF(5).
  title=$(printf '%s' "${name%.*}" | tr '[:lower:]' '[:upper:]')"(${name##*.})"
  if ! head -n 1 "$out" | grep -qF "$title"; then
    bad "$page: header does not name $title: $(head -n 1 "$out")"; continue
  fi
  for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
    grep -qx "$section" "$out" || bad "$page: no $section section"
  done
  ok
done
grep -q '^\.BR modules\.conf (5)' man/conf.modules.5 && ok ||
  bad "man/conf.modules.5 does not point to modules.conf(5)"

# 2. Installation, into a relative DESTDIR as packagers use it.
dest="$work/dest"
if ! $MAKE -s B="$B" install DESTDIR="$dest" >"$work/install.log" 2>&1; then
  bad "make install failed:"; sed 's/^/    /' "$work/install.log" >&2
else
  p="$dest/usr/local"
  check_file() {  # check_file INSTALLED SOURCE MODE
    if [ ! -f "$1" ]; then bad "not installed: $1"; return; fi
    cmp -s "$1" "$2" || { bad "$1 differs from $2"; return; }
    [ "$(stat -c %a "$1")" = "$3" ] || { bad "$1 has mode $(stat -c %a "$1"), want $3"; return; }
    ok
  }
  check_file "$p/sbin/modutils-ng" "$B/modutils-ng" 755
  # Each tool a relative link to the one program; no kmod link by default.
  for t in depmod modprobe insmod rmmod lsmod modinfo; do
    [ "$(readlink "$p/sbin/$t")" = modutils-ng ] && ok || bad "$p/sbin/$t is not a link to modutils-ng"
  done
  [ ! -e "$p/sbin/kmod" ] && ok || bad "a kmod link was installed without INSTALL_KMOD_LINK=yes"
  # The pages are installed with the release from VERSION in their header.
  for page in depmod.8 modprobe.8 insmod.8 rmmod.8 lsmod.8 modinfo.8 modutils-ng.8; do
    check_file "$p/share/man/man8/$page" "$B/man/$page" 644
  done
  for page in modules.conf.5 conf.modules.5 depmod.d.5 modprobe.d.5; do
    check_file "$p/share/man/man5/$page" "$B/man/$page" 644
  done
  version=$(cat VERSION)
  for page in "$p"/share/man/man[58]/*; do
    if grep -q "^\.TH .* \"modutils-ng $version\" " "$page" &&
       [ "$(grep -v '^\.TH ' "$page")" = "$(grep -v '^\.TH ' "man/$(basename "$page")")" ]; then
      ok
    else
      bad "$page: header does not name modutils-ng $version, or the page differs from man/"
    fi
  done
  # depmod's completion under its command's name; modprobe's under the
  # package's, not shadowing bash-completion's own modprobe file.
  check_file "$p/share/bash-completion/completions/depmod" completion/depmod 644
  check_file "$p/share/bash-completion/completions/modutils-ng" completion/modprobe 644
  [ ! -e "$p/share/bash-completion/completions/modprobe" ] && ok ||
    bad "a completion file named modprobe is installed"
  # Nothing else may land outside the prefix.
  stray=$(cd "$dest" && find . -mindepth 1 ! -path './usr' ! -path './usr/local' ! -path './usr/local/*')
  [ -z "$stray" ] && ok || bad "installed outside PREFIX: $stray"

  # PREFIX moves everything; DESTDIR is not written into anything.
  if $MAKE -s B="$B" install DESTDIR="$work/dest2" PREFIX=/usr INSTALL_KMOD_LINK=yes >"$work/install2.log" 2>&1 &&
     [ -x "$work/dest2/usr/sbin/modprobe" ] && [ "$(readlink "$work/dest2/usr/sbin/kmod")" = modutils-ng ] && [ -f "$work/dest2/usr/share/man/man5/modprobe.d.5" ] &&
     [ -f "$work/dest2/usr/share/bash-completion/completions/depmod" ] && [ ! -e "$work/dest2/usr/local" ]; then
    ok
  else
    bad "make install PREFIX=/usr INSTALL_KMOD_LINK=yes did not install under usr/ with the kmod link"
  fi
  # uninstall takes the kmod link too, being ours.
  if $MAKE -s B="$B" uninstall DESTDIR="$work/dest2" PREFIX=/usr >/dev/null 2>&1 &&
     [ -z "$(find "$work/dest2" ! -type d)" ]; then
    ok
  else
    bad "make uninstall PREFIX=/usr left: $(find "$work/dest2" ! -type d)"
  fi

  # install-strip: the same files, the programs without symbols; SBINDIR
  # and MANDIR move their parts.
  d3="$work/dest3"
  if $MAKE -s B="$B" install-strip DESTDIR="$d3" PREFIX=/usr SBINDIR=/sbin MANDIR=/usr/share/man \
       >"$work/install3.log" 2>&1 &&
     [ -x "$d3/sbin/depmod" ] && [ -x "$d3/sbin/modprobe" ] && [ -f "$d3/usr/share/man/man8/depmod.8" ] &&
     ! readelf -S "$d3/sbin/modprobe" | grep -q -e '\.symtab' -e '\.debug_info' &&
     readelf -S "$B/modprobe" | grep -q '\.symtab' &&
     "$d3/sbin/depmod" -V | grep -q "^modutils-ng depmod version $version\$"; then
    ok
  else
    bad "make install-strip SBINDIR=/sbin did not install stripped programs"; sed 's/^/    /' "$work/install3.log" >&2
  fi
  # uninstall removes every file install put there.
  if $MAKE -s B="$B" uninstall DESTDIR="$d3" PREFIX=/usr SBINDIR=/sbin MANDIR=/usr/share/man >/dev/null 2>&1 &&
     [ -z "$(find "$d3" ! -type d)" ]; then
    ok
  else
    bad "make uninstall left: $(find "$d3" ! -type d)"
  fi
fi

# 4. Bash completion, on a made-up module tree.
if command -v bash >/dev/null 2>&1; then
  tree="$work/root"
  mkdir -p "$tree/lib/modules/9.9.9/kernel/fs" "$tree/lib/modules/1.0.0"
  : >"$tree/lib/modules/9.9.9/kernel/fs/foo-fs.ko"
  : >"$tree/lib/modules/9.9.9/kernel/fs/barfs.ko.xz"
  got=$(bash -c '
    . completion/modprobe && . completion/depmod || exit 1
    # The loaded modules come from /proc or /sys; fake them.
    _mng_loaded_modules() { printf "%s\n" loaded_one loaded_two; }
    comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); "_mng_$1"
             printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "; echo; }
    comp modprobe -d "$1" -S 9.9.9 ""
    comp modprobe --dirname = "$1" --set-version = 9.9.9 f
    comp modprobe -d "$1" -S ""
    comp modprobe -d "$1" -S 9.9.9 foo-fs ""
    comp modprobe -d "$1" -S 9.9.9 -a foo-fs ""
    comp modprobe -r lo
    comp modprobe --show-dep
    comp modprobe -t ne
    comp depmod -b "$1" ""
    comp depmod --qu
  ' sh "$tree" 2>&1)
  want="barfs foo-fs 
foo-fs 
1.0.0 9.9.9 
 
barfs foo-fs 
loaded_one loaded_two 
--show-depends 
net 
1.0.0 9.9.9 
--quick --quiet "
  if [ "$got" = "$want" ]; then ok; else
    bad "bash completion gave:"; printf '%s\n' "$got" | sed 's/^/    |/' >&2
    echo "check-man: expected:" >&2; printf '%s\n' "$want" | sed 's/^/    |/' >&2
  fi
fi

# 4b. Sourced, the modprobe completion takes over only modutils-ng's
#     modprobe: with ours first in PATH it registers itself, with a PATH
#     whose modprobe is another (a stand-in printing kmod's -V) it does not.
if command -v bash >/dev/null 2>&1; then
  fake="$work/fakebin"
  mkdir -p "$fake"
  printf '#!/bin/sh\necho "kmod version 30"\n' >"$fake/modprobe"
  chmod +x "$fake/modprobe"
  abs_b=$(cd "$B" && pwd)
  ours=$(PATH="$abs_b:$PATH" bash -c '. completion/modprobe; complete -p modprobe' 2>&1)
  theirs=$(PATH="$fake:$PATH" bash -c '. completion/modprobe; complete -p modprobe' 2>&1)
  case $ours in *"-F _mng_modprobe modprobe"*) ok ;; *) bad "completion not registered for our modprobe: $ours" ;; esac
  case $theirs in *_mng_modprobe*) bad "completion registered for another modprobe: $theirs" ;; *) ok ;; esac
fi

# 5. The completions offer every long option --help lists (both are kept
#    by hand beside the option tables; this keeps them together).
if command -v bash >/dev/null 2>&1; then
  for t in modprobe depmod; do
    offered=$(bash -c '. completion/'"$t"' || exit 1
      COMP_WORDS=('"$t"' --); COMP_CWORD=1; COMPREPLY=(); _mng_'"$t"'
      printf "%s\n" "${COMPREPLY[@]}"' 2>&1)
    missing=""
    for o in $("$B/$t" --help | sed -n 's/^	\(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'); do
      printf '%s\n' "$offered" | grep -qx -- "$o" || missing="$missing $o"
    done
    if [ -z "$missing" ]; then ok; else bad "$t completion does not offer$missing"; fi
  done
fi

echo "check-man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
