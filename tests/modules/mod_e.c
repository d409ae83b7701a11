// SPDX-License-Identifier: GPL-2.0-or-later
// Uses two providers: mod_b (GPL symbol) and mod-d.
#include <linux/module.h>
extern int sym_b(int x);
extern int sym_d(void);
static int __init e_init(void) { return sym_b(sym_d()) < 0; }
static void __exit e_exit(void) {}
module_init(e_init);
module_exit(e_exit);
MODULE_LICENSE("GPL");
