# SPDX-License-Identifier: GPL-2.0-or-later
# Harness self-test: symbol dependencies as the kernel enforces them.
# mod_b needs mod_a's sym_a, so it can't load alone and pins mod_a.
step() {
	run busybox insmod "$(ko mod_b)"
	expect_rc b-alone-fails nonzero
	expect_mods b-alone-not-loaded ""

	run busybox insmod "$(ko mod_a)"
	expect_rc a-rc 0
	expect_param a-default-level mod_a level 1
	run busybox insmod "$(ko mod_b)"
	expect_rc b-after-a-rc 0
	expect_mods a-and-b "mod_a mod_b"
	expect_eq a-used-by-b "$(users_of mod_a)" "mod_b,"
	expect_eq a-refcnt "$(refcnt_of mod_a)" "1"
	snapshot a-and-b

	run busybox rmmod mod_a
	expect_rc rmmod-a-busy-fails nonzero
	# The kernel refuses with EWOULDBLOCK while mod_b holds mod_a.
	expect_contains rmmod-a-busy-message "$ERR" "Resource temporarily unavailable"
	expect_mods a-still-loaded "mod_a mod_b"

	run busybox rmmod mod_b
	expect_rc rmmod-b-rc 0
	expect_eq a-unused "$(users_of mod_a)" "-"
	run busybox rmmod mod_a
	expect_rc rmmod-a-rc 0
	expect_mods none-left ""
}
