// SPDX-License-Identifier: GPL-2.0-or-later
#include <linux/module.h>
static int __init two_init(void) { return 0; }
static void __exit two_exit(void) {}
module_init(two_init);
module_exit(two_exit);
MODULE_LICENSE("GPL");
