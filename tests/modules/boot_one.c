// SPDX-License-Identifier: GPL-2.0-or-later
// Independent modules for load-all tests.
#include <linux/module.h>
static char *greeting = "hello";
module_param(greeting, charp, 0444);
static int __init one_init(void) { return 0; }
static void __exit one_exit(void) {}
module_init(one_init);
module_exit(one_exit);
MODULE_LICENSE("GPL");
