#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The release number has one source, the file VERSION; everything that
# shows it must agree with it:
#  1. VERSION is one line, a dotted number;
#  2. depmod -V and modprobe -V print it;
#  3. no source file carries a release number of its own;
#  4. the manual pages' headers say "modutils-ng" in the tree and
#     "modutils-ng VERSION" once built ($B/man, what make install installs);
#  5. debian/changelog's top entry has that version;
#  6. ChangeLog's top entry, if it names a release ("* VERSION: 0.1" or
#     "Release 0.1"), names this one; if it names none, a SKIP says so.
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MAKE=${MAKE:-make}

# 1.
version=$(cat VERSION)
if [ "$(wc -l <VERSION)" -eq 1 ] && printf '%s\n' "$version" | grep -Eqx '[0-9]+(\.[0-9]+)+'; then ok "VERSION is $version"; else
  bad "VERSION is not one line with a dotted number: $(head -c 100 VERSION)"
fi

# 2.
[ "$("$B/depmod" -V | head -n 1)" = "modutils-ng depmod version $version" ] && ok "depmod -V" ||
  bad "depmod -V: $("$B/depmod" -V 2>&1 | head -n 1)"
[ "$("$B/modprobe" -V | head -n 1)" = "modutils-ng modprobe version $version (kmod 30 and modutils 2.4 compatible)" ] && ok "modprobe -V" ||
  bad "modprobe -V: $("$B/modprobe" -V 2>&1 | head -n 1)"

# 3. A release number written into a program's text ("modutils-ng ...
# version 1.2") anywhere but VERSION.
stray=$(grep -rnE 'modutils-ng[a-z ]* version [0-9]+\.[0-9]' --include='*.cc' --include='*.h' \
          common conf depmod modprobe 2>/dev/null)
[ -z "$stray" ] && ok "no release number in the sources" || bad "release numbers outside VERSION: $stray"

# 4.
for page in man/*.[58]; do
  th=$(grep '^\.TH ' "$page") || continue
  case $th in
    *'"modutils-ng"'*) ok "$page: .TH names modutils-ng" ;;
    *) bad "$page: .TH should name plain \"modutils-ng\" (the build adds the release): $th" ;;
  esac
done
if $MAKE -s B="$B" man >/dev/null 2>&1; then
  for page in "$B"/man/*.[58]; do
    th=$(grep '^\.TH ' "$page") || continue
    case $th in
      *"\"modutils-ng $version\""*) ok "$page: .TH names modutils-ng $version" ;;
      *) bad "$page: .TH does not name modutils-ng $version: $th" ;;
    esac
  done
else
  bad "make man failed"
fi

# 5.
deb_version=$(sed -n '1s/^modutils-ng (\([^)]*\)).*/\1/p' debian/changelog)
[ "${deb_version%-*}" = "$version" ] && ok "debian/changelog: $deb_version" ||
  bad "debian/changelog's top entry is version '$deb_version', VERSION is $version"

# 6. The top entry runs from the first line to the next dated header line.
top=$(awk 'NR > 1 && /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/ { exit } { print }' ChangeLog)
named=$(printf '%s\n' "$top" |
  sed -nE 's/^[[:space:]]*\* VERSION:[^0-9]*([0-9]+(\.[0-9]+)+).*/\1/p; s/.*[Rr]elease[d]? ([0-9]+(\.[0-9]+)+).*/\1/p' |
  head -n 1)
if [ -z "$named" ]; then
  echo "SKIP check-version: ChangeLog's top entry names no release (e.g. '* VERSION: $version.')"
elif [ "$named" = "$version" ]; then
  ok "ChangeLog's top entry names $version"
else
  bad "ChangeLog's top entry names release $named, VERSION is $version"
fi

finish check-version
