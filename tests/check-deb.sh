#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the Debian package and tries it in a private root:
#  1. `dpkg-buildpackage -us -uc -b` on a copy of the source tree builds
#     modutils-ng_VERSION_ARCH.deb, its version the one in VERSION, with
#     dpkg-buildflags' hardening in the programs (PIE, RELRO, BIND_NOW,
#     fortified calls);
#  2. lintian finds no error and no warning in it;
#  3. in a throw-away copy of this system (an overlay over /, in a private
#     mount namespace, so nothing here changes), `dpkg -i` diverts kmod's
#     depmod and modprobe and their manual pages, the package's programs
#     answer to depmod and modprobe, kmod's still run from their new
#     place, depmod builds a tree's indexes and modprobe -n resolves a
#     module of it;
#  4. `dpkg -r` puts kmod's files back exactly and leaves no diversion.
# Needs root (mount namespaces, chroot) and debhelper/lintian, which
# tests/setup-deb.sh installs; without them the checks are SKIPped.
# Takes about as long as one build of the programs plus ~40 s.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP check-deb: needs root (dpkg-buildpackage's install test runs in a private mount namespace)"
  exit 0
fi
mkdir -p "$B"
if ! sh tests/setup-deb.sh >"$B/setup-deb.log" 2>&1 ||
   ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
  echo "SKIP check-deb: dpkg-buildpackage or debhelper unavailable (tests/setup-deb.sh failed, see $B/setup-deb.log)"
  exit 0
fi

version=$(cat VERSION)
arch=$(dpkg --print-architecture)
work=$(cd "$B" && pwd)/check-deb
rm -rf "$work"
src="$work/modutils-ng-$version"
mkdir -p "$src"

# 1. The build, on a copy without build directories, so that the package
# is built from the sources alone and lands in $work.
tar -cf - --exclude=./.git --exclude=./build --exclude='./build-*' --exclude="./$B" . | tar -xf - -C "$src"
if (cd "$src" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2}" dpkg-buildpackage -us -uc -b) \
     >"$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b"
else
  bad "dpkg-buildpackage failed:"; tail -n 30 "$work/build.log" | sed 's/^/    /' >&2
  finish check-deb
fi
deb="$work/modutils-ng_${version}_$arch.deb"
if [ -f "$deb" ] && [ "$(dpkg-deb -f "$deb" Version)" = "$version" ]; then ok "$(basename "$deb"), version $version"; else
  bad "no $deb with version $version: $(ls "$work")"; finish check-deb
fi

# The hardening flags reached compiler and linker.
x="$work/x"
dpkg-deb -x "$deb" "$x"
for p in modutils-ng; do
  f="$x/sbin/$p"
  why=
  readelf -hW "$f" | grep -q 'Type: *DYN' || why="$why not-PIE"
  readelf -lW "$f" | grep -q GNU_RELRO || why="$why no-RELRO"
  readelf -dW "$f" | grep -Eq 'BIND_NOW|FLAGS.*NOW' || why="$why no-BIND_NOW"
  readelf -sW --dyn-syms "$f" | grep -q '__[a-z]*_chk' || why="$why not-fortified"
  readelf -SW "$f" | grep -q '\.symtab' && why="$why not-stripped"
  [ -z "$why" ] && ok "$p: PIE, RELRO, BIND_NOW, fortified, stripped" || bad "$p:$why"
done
for t in depmod modprobe insmod rmmod lsmod modinfo; do
  [ "$(readlink "$x/sbin/$t")" = modutils-ng ] && ok "/sbin/$t links to modutils-ng" || bad "/sbin/$t is not a link to modutils-ng"
done
for f in usr/share/man/man8/depmod.8.gz usr/share/man/man8/modprobe.8.gz usr/share/man/man8/insmod.8.gz \
         usr/share/man/man8/rmmod.8.gz usr/share/man/man8/lsmod.8.gz usr/share/man/man8/modinfo.8.gz usr/share/man/man8/modutils-ng.8.gz \
         usr/share/man/man5/modules.conf.5.gz usr/share/bash-completion/completions/depmod \
         usr/share/bash-completion/completions/modutils-ng usr/share/doc/modutils-ng/copyright; do
  [ -f "$x/$f" ] && ok "/$f" || bad "not in the package: /$f"
done
if zcat "$x/usr/share/man/man8/modprobe.8.gz" | grep -q "^\.TH .*\"modutils-ng $version\""; then ok "modprobe.8 names modutils-ng $version"; else
  bad "modprobe.8 does not name modutils-ng $version"
fi

# 2. lintian.
if lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1; then ok "lintian: no error, no warning"; else
  bad "lintian:"; sed 's/^/    /' "$work/lintian.log" >&2
fi

# 3 and 4. A private root: / under an overlay whose upper layer is a tmpfs,
# in a mount namespace of its own; all of it vanishes with the namespace.
mods=${MNG_TESTMODS:-$B/testmods}
tree="$work/tree"
mkdir -p "$tree/lib/modules/9.9.9/extra"
# The files a kernel build installs beside its modules, so depmod has
# nothing to warn about.
: >"$tree/lib/modules/9.9.9/modules.order"
: >"$tree/lib/modules/9.9.9/modules.builtin"
: >"$tree/lib/modules/9.9.9/modules.builtin.modinfo"
nmods=0
for m in "$mods"/mod_a.ko "$mods"/mod_b.ko "$mods"/mod_c.ko; do
  [ -f "$m" ] && cp "$m" "$tree/lib/modules/9.9.9/extra/" && nmods=$((nmods + 1))
done
[ "$nmods" -gt 0 ] || echo "SKIP check-deb: no test modules in $mods (make $B/testmods.stamp): depmod runs on an empty tree, modprobe -n not tried"

cat >"$work/inroot.sh" <<'EOF'
# Run chrooted in the overlay: prints one line per finding, "ok ..." or "bad ...".
set -u
say() { if [ "$1" = 0 ]; then echo "ok $2"; else echo "bad $2"; fi; }
version=$1 nmods=$2
dpkg -i /tmp/mng.deb >/tmp/dpkg-i.log 2>&1; say $? "dpkg -i (log: $(tail -n 3 /tmp/dpkg-i.log | tr '\n' ' '))"
[ "$(dpkg-divert --list 'modutils-ng' | wc -l)" = 14 ]; say $? "fourteen diversions: $(dpkg-divert --list 'modutils-ng' | tr '\n' ';')"
[ "$(depmod -V | head -n 1)" = "modutils-ng depmod version $version" ]; say $? "depmod in PATH is ours: $(depmod -V 2>&1 | head -n 1)"
modprobe -V | grep -q "^modutils-ng modprobe version $version "; say $? "modprobe in PATH is ours: $(modprobe -V 2>&1 | head -n 1)"
/usr/lib/modutils-ng/kmod/modprobe -V | grep -q '^kmod version'; say $? "kmod's modprobe runs from its new place"
insmod -V | grep -qx "modutils-ng insmod version $version"; say $? "insmod in PATH is ours: $(insmod -V 2>&1 | head -n 1)"
/usr/lib/modutils-ng/kmod/rmmod -V | grep -q '^kmod version'; say $? "kmod's rmmod runs from its new place"
lsmod -h | grep -q '^Usage:'; say $? "lsmod runs: $(lsmod -h 2>&1 | head -n 1)"
[ "$(readlink /usr/lib/modutils-ng/kmod/depmod)" = /bin/kmod ]; say $? "kmod's depmod diverted, still a link to /bin/kmod"
depmod -b /tmp/tree 9.9.9 2>/tmp/depmod.err; say $? "depmod -b exits 0: $(cat /tmp/depmod.err)"
[ -s /tmp/tree/lib/modules/9.9.9/modules.dep.bin ] && [ -f /tmp/tree/lib/modules/9.9.9/modules.dep ]; say $? "depmod wrote modules.dep and modules.dep.bin"
if [ "$nmods" -gt 0 ]; then
  out=$(modprobe -n -v -d /tmp/tree -S 9.9.9 mod_a 2>&1)
  printf '%s\n' "$out" | grep -q '^insmod /tmp/tree/lib/modules/9.9.9/extra/mod_a\.ko'; say $? "modprobe -n -v mod_a: $out"
fi
dpkg -r modutils-ng >/tmp/dpkg-r.log 2>&1; say $? "dpkg -r (log: $(tail -n 3 /tmp/dpkg-r.log | tr '\n' ' '))"
[ -z "$(dpkg-divert --list 'modutils-ng')" ]; say $? "no diversion left: $(dpkg-divert --list 'modutils-ng' | tr '\n' ';')"
back=yes
for t in depmod modprobe insmod rmmod lsmod modinfo; do [ "$(readlink /sbin/$t)" = /bin/kmod ] || back=no; done
[ $back = yes ]; say $? "kmod's /sbin/depmod, modprobe, insmod, rmmod, lsmod and modinfo are back"
modprobe -V | grep -q '^kmod version'; say $? "modprobe in PATH is kmod's again"
[ ! -e /usr/lib/modutils-ng ]; say $? "/usr/lib/modutils-ng removed"
dpkg -P modutils-ng >/dev/null 2>&1
[ -z "$(dpkg-query -W -f='${db:Status-Status}' modutils-ng 2>/dev/null | grep -v not-installed)" ]; say $? "purged"
EOF

# The pages kmod installs, to compare after removal (a system installed
# without manual pages has none, and then neither package adds them).
cat >"$work/ns.sh" <<'EOF'
set -eu
work=$1 deb=$2 version=$3 nmods=$4
m=$work/root
mkdir -p "$work/layer" "$m"
mount -t tmpfs -o size=512m tmpfs "$work/layer"
mkdir -p "$work/layer/up" "$work/layer/work"
mount -t overlay overlay -o lowerdir=/,upperdir="$work/layer/up",workdir="$work/layer/work" "$m" || {
  echo "no-overlay"; exit 0; }
mount -t proc proc "$m/proc"
cp "$deb" "$m/tmp/mng.deb"
cp -a "$work/tree" "$m/tmp/tree"
chroot "$m" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 sh -c "$(cat "$work/inroot.sh")" sh "$version" "$nmods"
# kmod's files are byte for byte the ones outside.
for f in /usr/share/man/man8/depmod.8.gz /usr/share/man/man8/modprobe.8.gz /usr/share/man/man8/insmod.8.gz \
         /usr/share/man/man8/rmmod.8.gz /usr/share/man/man8/lsmod.8.gz /usr/share/man/man8/modinfo.8.gz \
         /usr/share/man/man5/depmod.d.5.gz /usr/share/man/man5/modprobe.d.5.gz; do
  if [ -e "$f" ]; then
    cmp -s "$f" "$m$f"; r=$?
  else
    [ ! -e "$m$f" ]; r=$?
  fi
  [ $r = 0 ] && echo "ok $f restored" || echo "bad $f is not kmod's after removal"
done
EOF
if ! command -v unshare >/dev/null 2>&1; then
  echo "SKIP check-deb: no unshare, the package is not installed anywhere"
  finish check-deb
fi
if ! unshare -m --propagation private true 2>/dev/null; then
  echo "SKIP check-deb: no private mount namespace here (unshare -m failed), the package is not installed anywhere"
  finish check-deb
fi
unshare -m --propagation private sh "$work/ns.sh" "$work" "$deb" "$version" "$nmods" >"$work/install.log" 2>&1
rc=$?
if grep -qx no-overlay "$work/install.log"; then
  echo "SKIP check-deb: overlay mounts over / are not possible here, the package is not installed anywhere"
  finish check-deb
fi
grep -q '^ok dpkg -i' "$work/install.log" || bad "the private root did not work (exit $rc):"
while IFS= read -r line; do
  case $line in
    ok\ *) ok "${line#ok }" ;;
    bad\ *) bad "${line#bad }" ;;
    *) echo "    $line" >&2 ;;
  esac
done <"$work/install.log"
# Nothing stays mounted: the namespace held the mounts.
grep -q " $work/root " /proc/self/mounts && bad "the private root is still mounted"
finish check-deb
