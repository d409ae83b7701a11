// SPDX-License-Identifier: GPL-2.0-or-later
#include <linux/module.h>
extern int sym_x(void);
int sym_y(void) { return 2; }
EXPORT_SYMBOL(sym_y);
static int __init y_init(void) { return sym_x() < 0; }
static void __exit y_exit(void) {}
module_init(y_init);
module_exit(y_exit);
MODULE_LICENSE("GPL");
