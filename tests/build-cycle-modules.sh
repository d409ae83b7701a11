#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the modules of every graph in tests/cycle-graphs.txt against
# Debian's linux-headers, into OUT (default build/cyclemods): one module a
# node, exporting one symbol and calling the symbols of the nodes it needs.
set -e
OUT=${1:-build/cyclemods}
spec=$(cd "$(dirname "$0")" && pwd)/cycle-graphs.txt
sh "$(dirname "$0")/setup-pkgs.sh" --why "cycle test modules" linux-headers-amd64 >&2
hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$hdr" ] || { echo "build-cycle-modules: no /usr/src/linux-headers-*-amd64 (linux-headers-amd64)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
objs=
# node_source GRAPH PREFIX NODE EDGES: the C source of one node.
node_source() {
  calls= decls=
  for e in $(echo "$4" | tr ',' ' '); do
    [ "${e%?}" = "$3" ] || continue
    t=${e#?}
    decls="${decls}extern int cg_$1_$t(void);
"
    calls="$calls + cg_$1_$t()"
  done
  printf '// SPDX-License-Identifier: GPL-2.0-or-later\n#include <linux/module.h>\n%s' "$decls"
  printf 'int cg_%s_%s(void) { return 1; }\nEXPORT_SYMBOL(cg_%s_%s);\n' "$1" "$3" "$1" "$3"
  printf 'static int __init cg_init(void) { return 0%s > 99; }\n' "$calls"
  printf 'static void __exit cg_exit(void) {}\nmodule_init(cg_init);\nmodule_exit(cg_exit);\nMODULE_LICENSE("GPL");\n'
}
grep -v '^#' "$spec" | while read -r name prefix order edges; do
  [ -n "$name" ] || continue
  for n in $(echo "$order" | sed 's/./& /g'); do
    node_source "$name" "$prefix" "$n" "$edges" >"$OUT/$prefix$n.c"
  done
done
for f in "$OUT"/*.c; do objs="$objs $(basename "$f" .c).o"; done
printf '# SPDX-License-Identifier: GPL-2.0-or-later\nobj-m :=%s\n' "$objs" >"$OUT/Kbuild"
make -s -C "$hdr" M="$(cd "$OUT" && pwd)" modules >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
basename "$hdr" | sed 's/^linux-headers-//' >"$OUT/kver"
ls "$OUT"/*.ko >/dev/null
