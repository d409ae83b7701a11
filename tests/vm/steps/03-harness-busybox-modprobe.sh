# SPDX-License-Identifier: GPL-2.0-or-later
# Harness self-test: busybox's depmod and modprobe on the image's module
# tree, proving that modules.dep-driven loading works there.  Removes
# what busybox depmod wrote, so later steps start from a tree without
# generated files.
step() {
	before=$(ls "$MODDIR")
	run busybox depmod
	expect_rc depmod-rc 0
	check dep-mod_e "modules.dep has mod_e needing mod_b and mod-d" \
		grep -q '^kernel/drivers/net/mod_e.ko:.*mod_b.ko.*mod-d.ko\|^kernel/drivers/net/mod_e.ko:.*mod-d.ko.*mod_b.ko' "$MODDIR/modules.dep"

	# mod_e uses sym_b (mod_b, which needs mod_a) and sym_d (mod-d).
	run busybox modprobe mod_e
	expect_rc modprobe-rc 0
	expect_mods stack-loaded "mod_a mod_b mod_d mod_e"
	snapshot stack

	run busybox modprobe -r mod_e
	expect_rc remove-rc 0
	expect_mods stack-removed ""

	for f in "$MODDIR"/*; do
		echo "$before" | grep -qx "${f##*/}" || rm -f "$f"
	done
	expect_eq tree-restored "$(ls "$MODDIR")" "$before"
}
