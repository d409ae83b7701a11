#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Size limits for the code outside the tests: no source file (.cc, .h) in
# common/ conf/ depmod/ modprobe/ tools/ over MAX_FILE lines (default 500), and no
# function in their .cc files over MAX_FUNC lines (default 80, counted from
# the line with the opening brace of its body to the closing one).  Test
# files (*_test.cc, *_test_util.h, test_*.h) are left out.  Fails listing
# every offender as FILE:LINE: what, size.
#
# Functions are found by brace depth after comments, strings and character
# literals are blanked out: a block opened at namespace level (or directly
# inside a struct or class there) whose header has a ')' and is not a
# struct, class, enum, union or an initializer ("= {") is a function.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

MAX_FILE=${MAX_FILE:-500}
MAX_FUNC=${MAX_FUNC:-80}

sources() {
  for d in common conf depmod modprobe tools; do
    ls "$d"/*.cc "$d"/*.h 2>/dev/null
  done | grep -v -e '_test\.cc$' -e '_test_util\.h$' -e '/test_[^/]*\.h$' | LC_ALL=C sort
}

# Prints FILE:LINE: function NAME, N lines for each function of FILE over MAX.
long_functions() {
  awk -v max="$1" '
    function strip(s,   out, i, c, n) {
      # Blanks string and character literals and // comments; /* */ comments
      # are handled across lines with in_comment.
      out = ""; n = length(s)
      for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (in_comment) {
          if (c == "*" && substr(s, i + 1, 1) == "/") { in_comment = 0; i++ }
          continue
        }
        if (c == "/" && substr(s, i + 1, 1) == "/") break
        if (c == "/" && substr(s, i + 1, 1) == "*") { in_comment = 1; i++; continue }
        if (c == "\"" || c == "\047") {
          q = c
          for (i++; i <= n; i++) {
            c = substr(s, i, 1)
            if (c == "\\") { i++; continue }
            if (c == q) break
          }
          out = out q q
          continue
        }
        out = out c
      }
      return out
    }
    function is_function(h) {
      if (h ~ /^[ \t]*(template[ \t]*<[^>]*>[ \t]*)?(struct|class|enum|union|namespace|extern)[ \t{]/) return 0
      if (h ~ /=[ \t]*\{[ \t]*$/ || h ~ /=[ \t]*$/) return 0
      return h ~ /\)/
    }
    {
      line = strip($0)
      # A namespace block does not count as depth.
      if (line ~ /^[ \t]*(inline[ \t]+)?namespace([ \t][^{]*)?\{[ \t]*$/) { header = ""; next }
      n = length(line); seg = 1
      for (i = 1; i <= n; i++) {
        c = substr(line, i, 1)
        if (c == "{") {
          h = header " " substr(line, seg, i - seg)
          depth++
          kind[depth] = ""
          if (depth == 1 || (depth == 2 && kind[1] == "type")) {
            if (is_function(h)) { kind[depth] = "func"; start[depth] = FNR; name[depth] = h }
            else if (h ~ /(struct|class)[ \t]/) kind[depth] = "type"
          }
          header = ""; seg = i + 1
        } else if (c == "}") {
          header = ""; seg = i + 1
          if (depth == 0) continue  # a namespace closing
          if (kind[depth] == "func" && FNR - start[depth] + 1 > max) {
            nm = name[depth]
            sub(/\(.*/, "", nm); sub(/.*[ \t*&]/, "", nm)
            printf "%s:%d: function %s, %d lines\n", FILENAME, start[depth], nm, FNR - start[depth] + 1
          }
          depth--
        } else if (c == ";") {
          header = ""; seg = i + 1
        }
      }
      if (depth == 0 || (depth == 1 && kind[1] == "type")) header = header " " substr(line, seg)
      else header = ""
    }
  ' "$2"
}

offenders=$(mktemp)
cleanup_add "$offenders"

# The counter itself, on a sample: braces in strings, characters and
# comments do not count; a table initializer is no function; a member
# function inside a struct is one.
sample=$(mktemp)
cleanup_add "$sample"
cat >"$sample" <<'EOF_SAMPLE'
namespace a {
namespace {
int f(int x) {
  const char* s = "}{";  // }
  char c = '{';
  /* { */
  return x + c + s[0];
}
}  // namespace
const int kTable[] = {
  1,
  2,
  3,
};
struct S {
  int g() const {
    if (v) {
      return 1;
    }
    return 0;
  }
  int v = 0;
};
}  // namespace a
EOF_SAMPLE
got=$(long_functions 4 "$sample" | sed 's/^[^:]*://')
want="3: function f, 6 lines
16: function g, 6 lines"
if [ "$got" != "$want" ]; then
  echo "check-size: the function counter is wrong on its sample:"
  printf '%s\n' "$got"
  exit 1
fi
for f in $(sources); do
  n=$(wc -l <"$f")
  [ "$n" -le "$MAX_FILE" ] || echo "$f:1: file, $n lines" >>"$offenders"
  case $f in *.cc) long_functions "$MAX_FUNC" "$f" >>"$offenders" ;; esac
done

if [ -s "$offenders" ]; then
  echo "check-size: over the limits ($MAX_FILE lines a file, $MAX_FUNC lines a function):"
  sed 's/^/  /' "$offenders"
  echo "check-size: $(wc -l <"$offenders") offenders"
  exit 1
fi
echo "check-size: every file within $MAX_FILE lines, every function within $MAX_FUNC"
