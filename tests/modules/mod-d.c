// SPDX-License-Identifier: GPL-2.0-or-later
// A dash in the file name, a device node and char-major aliases.
#include <linux/module.h>
int sym_d(void) { return 4; }
EXPORT_SYMBOL(sym_d);
static int __init d_init(void) { return 0; }
static void __exit d_exit(void) {}
module_init(d_init);
module_exit(d_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS("devname:mng-test");
MODULE_ALIAS("char-major-10-242");
MODULE_ALIAS("block-major-250-3");
