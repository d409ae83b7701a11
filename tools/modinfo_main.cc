// SPDX-License-Identifier: GPL-2.0-or-later
// modinfo as a program of its own.
#include "tools/modinfo.h"

int main(int argc, char** argv) { return mng::modinfo_main(argc, argv); }
