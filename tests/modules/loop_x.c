// SPDX-License-Identifier: GPL-2.0-or-later
// loop_x and loop_y need each other: a dependency cycle.
#include <linux/module.h>
extern int sym_y(void);
int sym_x(void) { return 1; }
EXPORT_SYMBOL(sym_x);
static int __init x_init(void) { return sym_y() < 0; }
static void __exit x_exit(void) {}
module_init(x_init);
module_exit(x_exit);
MODULE_LICENSE("GPL");
