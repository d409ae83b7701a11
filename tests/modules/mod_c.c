// SPDX-License-Identifier: GPL-2.0-or-later
// Depends on mod_b (and so on mod_a); has wildcard aliases and a softdep.
#include <linux/module.h>
extern int sym_b(int x);
static int __init c_init(void) { return sym_b(1) < 0; }
static void __exit c_exit(void) {}
module_init(c_init);
module_exit(c_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS("test-c-*");
MODULE_ALIAS("test-[xy]-c");
MODULE_SOFTDEP("pre: mod-d post: mod_e");
MODULE_INFO(weakdep, "mod_e");
