// SPDX-License-Identifier: GPL-2.0-or-later
// Exports a symbol and takes a parameter: the bottom of the test stack.
#include <linux/module.h>
static int level = 1;
module_param(level, int, 0444);
MODULE_PARM_DESC(level, "a number shown under /sys/module/mod_a/parameters");
int sym_a(int x) { return x + level; }
EXPORT_SYMBOL(sym_a);
static int __init a_init(void) { return 0; }
static void __exit a_exit(void) {}
module_init(a_init);
module_exit(a_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS("test-alias-a");
