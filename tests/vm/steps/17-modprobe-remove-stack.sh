# SPDX-License-Identifier: GPL-2.0-or-later
# modprobe -r removes a stack but keeps what another module still uses
# (1996 page: "modprobe -r slip.o will unload slip.o.  It will also
# unload slhc.o automatically, unless it is used by some other module";
# doc/compat.md, modutils modprobe: removal).  The stacks are set up with
# busybox insmod so this step does not depend on how modprobe loads.
insmod_all() {
	for m in "$@"; do busybox insmod "$(ko "$m")" || fail setup "insmod $m failed"; done
}

step() {
	need_tool modprobe || return
	# mod_e needs mod_b (needs mod_a) and mod-d; mod_c holds mod_b too.
	insmod_all mod_a mod_b mod-d mod_e mod_c
	run modprobe -r mod_e
	expect_rc remove-e-rc 0
	expect_mods remove-e-keeps-used "mod_a mod_b mod_c"

	# The module named on the command line is busy: error, nothing goes.
	run modprobe -r mod_b
	expect_rc busy-rc nonzero
	expect_mods busy-kept "mod_a mod_b mod_c"

	# Not loaded: success, silently.
	run modprobe -r boot_two
	expect_rc not-loaded-rc 0
	expect_eq not-loaded-silent "$OUT$ERR" ""

	# The issue's case: modprobe -r mod_c while mod_e still uses mod_b.
	# modutils removes mod_c only: mod_b is busy (mod_e) and so is mod_a
	# (mod_b); mod-d and mod_e are not in mod_c's stack, and mod_c's
	# modinfo softdep (pre: mod-d post: mod_e) means nothing to it.
	# kmod (doc/compat.md, modprobe: removal) first removes the post-softdep mod_e, then
	# mod_c, then in one pass over mod_c's deps in load order those unused
	# at their turn: mod_a is still held by mod_b then, mod_b no longer;
	# then the pre-softdep mod-d.  Debian's kmod 30 left exactly [mod_a]
	# here (MNG_VM_TOOLS=kmod run).
	# mod_e and mod-d went above; load them again so mod_e holds mod_b.
	insmod_all mod-d mod_e
	run modprobe -r mod_c
	expect_rc remove-c-rc 0
	case $(loaded_mods) in
	"mod_a mod_b mod_d mod_e") pass remove-c-keeps-used ;;
	"mod_a")
		pass remove-c-keeps-used
		echo "MNGINFO $MNG_STEP modprobe -r followed mod_c's softdeps (kmod style)"
		;;
	*) fail remove-c-keeps-used "loaded [$(loaded_mods)], wanted [mod_a mod_b mod_d mod_e] (modutils) or [mod_a] (kmod)" ;;
	esac
}
