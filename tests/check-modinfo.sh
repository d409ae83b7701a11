#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Conformance of our modinfo with Debian's kmod modinfo (the reference).
#
# On Debian's amd64 and armmp module trees (tests/fetch-images.sh), indexed
# by kmod's depmod in a hardlinked copy, both tools are run with the same
# operands, many per invocation, and must agree byte for byte on standard
# output, standard error and exit status:
#   - every module file, by path: plain, -0, -a, -p, -n, -F for several
#     fields (signature fields included), -F with a field no module has;
#   - every module name, built-in module name and a sample of aliases,
#     with -b and -k, plain and -0, and -m with names and with aliases;
#   - xz and zstd compressed copies of some modules, damaged files (empty,
#     short, not ELF, truncated, without .modinfo, truncated xz), unknown
#     names, a missing operand, a bad option.
# Ours only (Debian's kmod has no zlib): a .ko.gz shows what the .ko shows.
#
# Environment: B (build dir), MODINFO (ours, default $B/modinfo),
# KMOD_MODINFO and KMOD_DEPMOD (the reference), MNG_ARCHES (default
# "amd64 armhf"), MNG_BATCH (operands per invocation, default 1000).
set -u
cd "$(dirname "$0")/.." && . tests/lib.sh
MODINFO=$(abs "${MODINFO:-$B/modinfo}")
MNG_ARCHES=${MNG_ARCHES-amd64 armhf}
MNG_BATCH=${MNG_BATCH:-1000}
need_tool "$MODINFO" check-modinfo
need_pkgs openssl  # signs the modules of the signature sub-check
need_tool "$KMOD_MODINFO" check-modinfo
mng_tmpdir W check-modinfo

# same LABEL ARGS...: runs both tools with ARGS; one result line.
same() {
  _label=$1
  shift
  "$KMOD_MODINFO" "$@" >"$W/k.out" 2>"$W/k.err"
  _rk=$?
  "$MODINFO" "$@" >"$W/o.out" 2>"$W/o.err"
  _ro=$?
  # kmod's getopt names the program by argv[0]; so do we.
  sed -i "s|^$MODINFO:|modinfo:|" "$W/o.err"
  sed -i "s|^$KMOD_MODINFO:|modinfo:|" "$W/k.err"
  if [ $_rk -eq $_ro ] && cmp -s "$W/k.out" "$W/o.out" && cmp -s "$W/k.err" "$W/o.err"; then
    return 0
  fi
  echo "        $_label: exit kmod $_rk, ours $_ro" >>"$W/diffs"
  diff -u "$W/k.out" "$W/o.out" | head -n 12 | sed 's/^/        /' >>"$W/diffs"
  diff -u "$W/k.err" "$W/o.err" | head -n 6 | sed 's/^/        /' >>"$W/diffs"
  return 1
}

# batched LABEL LIST OPTIONS...: `same` over the operands listed in the
# file LIST, MNG_BATCH at a time; one result line for the whole list.
batched() {
  _name=$1 _list=$2
  shift 2
  rm -f "$W/diffs" "$W/part."*
  split -l "$MNG_BATCH" "$_list" "$W/part."
  _n=$(wc -l <"$_list") _bad=0
  for _p in "$W/part."*; do
    set -f  # alias patterns are operands, not file names to expand
    # shellcheck disable=SC2046
    same "$_name" "$@" $(cat "$_p") || _bad=$((_bad + 1))
    set +f
  done
  if [ $_bad -eq 0 ]; then ok "$_name ($_n operands)"; else bad "$_name: $_bad batches differ"; head -n 40 "$W/diffs"; fi
}

# single LABEL ARGS...: `same` as one result line.
single() {
  rm -f "$W/diffs"
  _l=$1
  if same "$@"; then ok "$_l"; else bad "$_l"; cat "$W/diffs"; fi
}

check_tree() {
  arch=$1
  debian_tree "$arch" "check-modinfo $arch"
  root=$W/$arch
  dir=$root/lib/modules/$DEB_KVER
  inputs_only "$DEB_TREE" "$dir"
  "$KMOD_DEPMOD" -b "$root" "$DEB_KVER" || { bad "$arch: kmod depmod failed"; return; }
  find "$dir" -name '*.ko*' | sort >"$W/paths"
  [ -e "$W/first-paths" ] || cp "$W/paths" "$W/first-paths"  # the damaged copies are made from these
  sed 's|.*/||; s|\.ko.*||' "$W/paths" | sort -u >"$W/names"
  sed 's|.*/||; s|\.ko$||' "$dir/modules.builtin" | sort -u >"$W/builtin"
  # Every 25th alias pattern, and the names modules are often asked by.
  awk 'NR % 25 == 1 { print $2 }' "$dir/modules.alias" >"$W/aliases"
  printf '%s\n' crc32c fs-ext4 net-pf-1 char-major-10-229 >>"$W/aliases"
  echo "$arch: $DEB_KVER, $(wc -l <"$W/paths") modules"
  batched "$arch: paths" "$W/paths"
  batched "$arch: paths -0" "$W/paths" -0
  batched "$arch: paths -a" "$W/paths" -a
  batched "$arch: paths -p" "$W/paths" -p
  batched "$arch: paths -p -0" "$W/paths" -p -0
  batched "$arch: paths -n" "$W/paths" -n
  for f in alias depends vermagic signer sig_key sig_hashalgo signature parmtype no_such_field; do
    batched "$arch: paths -F $f" "$W/paths" -F "$f"
  done
  kb="-b $root -k $DEB_KVER"
  # shellcheck disable=SC2086
  {
    batched "$arch: names" "$W/names" $kb
    batched "$arch: names -0 -d" "$W/names" $kb -0 -d
    batched "$arch: names -m -l" "$W/names" $kb -m -l
    batched "$arch: built-in names" "$W/builtin" $kb
    batched "$arch: built-in names -F name" "$W/builtin" $kb -F name
    batched "$arch: built-in names -m -0" "$W/builtin" $kb -m -0
    batched "$arch: aliases -n" "$W/aliases" $kb -n
    batched "$arch: aliases -F alias" "$W/aliases" $kb -F alias
    single "$arch: -m with an alias" $kb -m crc32c
    single "$arch: unknown names" $kb no_such_module no-such-alias
    single "$arch: bad alias pattern" $kb 'foo[bar'
  }
}

# be32 N: N as four bytes, most significant first.
be32() {
  for _s in 24 16 8 0; do
    # shellcheck disable=SC2059
    printf "\\$(printf %03o $(($1 >> _s & 255)))"
  done
}

# signed SRC OUT ID_TYPE SIGNER KEY SIGFILE: SRC with a signature trailer.
signed() {
  {
    cat "$1" && printf '%s%s' "$4" "$5" && cat "$6"
    # shellcheck disable=SC2059
    printf "\\001\\004\\$(printf %03o "$3")\\$(printf %03o ${#4})\\$(printf %03o ${#5})\\0\\0\\0"
    be32 "$(wc -c <"$6")"
    printf '~Module signature appended~\n'
  } >"$2"
}

# PKCS#7 signatures made here: digests kmod knows and one it does not
# (no signature fields at all), an issuer without a common name (kmod
# shows the name's last entry), and the old trailer with signer and key.
check_signatures() {
  src=$1 out=$2
  openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$out/key.pem" -out "$out/cert.pem" -days 2 \
    -subj "/O=modutils-ng/OU=check" 2>/dev/null || { bad "openssl req failed"; return; }
  for md in sha1 sha512 sha3-256; do
    openssl smime -sign -nocerts -noattr -binary -in "$src" -signer "$out/cert.pem" -inkey "$out/key.pem" \
      -outform DER -md "$md" -out "$out/sig.$md" 2>/dev/null || { bad "openssl smime -md $md failed"; continue; }
    signed "$src" "$out/pkcs7-$md.ko" 2 "" "" "$out/sig.$md"
  done
  printf 'not a real signature' >"$out/raw"
  signed "$src" "$out/x509.ko" 1 "Some signer" "key-id" "$out/raw"
  single "signatures made here" "$out"/pkcs7-*.ko "$out/x509.ko"
  single "signatures made here -0" -0 "$out"/pkcs7-*.ko "$out/x509.ko"
}

# Compressed and damaged files, next to one real module.
check_files() {
  [ -e "$W/first-paths" ] || { echo "SKIP check-modinfo files: no Debian tree"; return; }
  first=$(head -n 1 "$W/first-paths")
  d=$W/files
  mkdir -p "$d"
  for f in $(sed -n '1p;100p;1000p' "$W/first-paths"); do
    b=$(basename "$f" .ko)
    cp "$f" "$d/$b.ko"
    xz -c "$f" >"$d/$b-x.ko.xz"
    zstd -q -c "$f" >"$d/$b-z.ko.zst"
    gzip -c "$f" >"$d/$b-g.ko.gz"
  done
  single "xz and zstd modules" $(ls "$d"/*.ko.xz "$d"/*.ko.zst)
  single "xz and zstd modules -0" -0 $(ls "$d"/*.ko.xz "$d"/*.ko.zst)
  : >"$d/empty.ko"
  printf '\177EL' >"$d/short.ko"
  printf 'garbage, not an ELF file\n' >"$d/text.ko"
  head -c 5000 "$first" >"$d/truncated.ko"
  xz -c "$first" | head -c 3000 >"$d/truncated.ko.xz"
  objcopy --remove-section .modinfo "$first" "$d/noinfo.ko" 2>/dev/null
  for f in empty short text truncated truncated.ko noinfo; do
    case $f in *.ko) p=$d/${f}.xz ;; *) p=$d/$f.ko ;; esac
    [ -e "$p" ] || continue
    single "damaged: $(basename "$p")" "$p"
    single "damaged, -n: $(basename "$p")" -n "$p"
  done
  check_signatures "$first" "$d"
  single "damaged and good together" "$d/text.ko" "$first" "$d/empty.ko"
  single "missing operand"
  single "bad option" -x "$first"
  single "-F without a value" -F
  # Ours only: gzip, which Debian's kmod is built without.
  g=$(ls "$d"/*-g.ko.gz | head -n 1)
  u=$d/$(basename "$g" -g.ko.gz).ko
  if [ "$("$MODINFO" "$g" | sed 1d)" = "$("$MODINFO" "$u" | sed 1d)" ]; then ok "ours: .ko.gz shows what .ko shows"
  else bad "ours: .ko.gz differs from .ko"; fi
}

for arch in $MNG_ARCHES; do check_tree "$arch"; done
check_files
finish check-modinfo
