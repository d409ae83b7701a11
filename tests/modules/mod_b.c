// SPDX-License-Identifier: GPL-2.0-or-later
// Uses mod_a's symbol and exports a GPL-only one.
#include <linux/module.h>
extern int sym_a(int x);
int sym_b(int x) { return sym_a(x) * 2; }
EXPORT_SYMBOL_GPL(sym_b);
static int __init b_init(void) { return sym_a(0) < 0; }
static void __exit b_exit(void) {}
module_init(b_init);
module_exit(b_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS("pci:v00001234d0000ABCDsv*sd*bc*sc*i*");
