// SPDX-License-Identifier: GPL-2.0-or-later
// Its init fails with -ENODEV, like a driver whose hardware is absent.
#include <linux/module.h>
static int __init f_init(void) { return -ENODEV; }
module_init(f_init);
MODULE_LICENSE("GPL");
