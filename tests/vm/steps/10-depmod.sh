# SPDX-License-Identifier: GPL-2.0-or-later
# depmod -a on the image's tree, configured by /etc/modules.conf (legacy
# language: keep + tagged path lines that name directories the default
# /lib/modules/`uname -r` walk already covers) and /etc/modprobe.d.
# Every later modprobe step uses the modules.dep written here.
step() {
	need_tool depmod || return
	rm -f "$MODDIR"/modules.dep*
	run depmod -a
	expect_rc rc-0 0
	# No unresolved-symbol or config complaints: every symbol the test
	# modules use is the kernel's or another test module's.
	expect_eq quiet "$ERR" ""
	check modules.dep-written "no $MODDIR/modules.dep" test -s "$MODDIR/modules.dep"
	[ -s "$MODDIR/modules.dep" ] || return

	# Each module once, even though the tagged paths are walked twice
	# (doc/compat.md, modutils depmod: directories: identical full paths are de-duplicated).
	for m in mod_a mod_b mod_c mod-d mod_e fail_init boot_one boot_two; do
		expect_eq "one-entry-$m" "$(dep_entries $m.ko)" 1
	done
	# The left-hand sides name the files, relative to MODDIR (kmod) or
	# absolute (modutils).
	bad=
	for p in $(dep_table | cut -d' ' -f1); do
		case $p in /*) f=$p ;; *) f=$MODDIR/$p ;; esac
		[ -f "$f" ] || bad="$bad $p"
	done
	expect_eq paths-exist "$bad" ""

	# Symbol dependencies (mod_a exports sym_a, mod_b uses it and exports
	# sym_b, mod_c and mod_e use sym_b, mod_e uses mod-d's sym_d).  kmod
	# lists the whole closure, modutils only direct deps (1996 page and
	# doc/compat.md, modutils depmod: symbols), so the indirect mod_a may or may not appear.
	expect_eq deps-mod_a "$(deps_of mod_a.ko)" ""
	expect_eq deps-mod_b "$(deps_of mod_b.ko)" "mod_a"
	case $(deps_of mod_c.ko) in
	"mod_b" | "mod_a mod_b") pass deps-mod_c ;;
	*) fail deps-mod_c "got '$(deps_of mod_c.ko)', wanted 'mod_b' or 'mod_a mod_b'" ;;
	esac
	case $(deps_of mod_e.ko) in
	"mod-d mod_b" | "mod-d mod_a mod_b") pass deps-mod_e ;;
	*) fail deps-mod_e "got '$(deps_of mod_e.ko)', wanted 'mod-d mod_b' (+ mod_a)" ;;
	esac
	for m in mod-d fail_init boot_one boot_two; do
		expect_eq "deps-$m" "$(deps_of $m.ko)" ""
	done
}
