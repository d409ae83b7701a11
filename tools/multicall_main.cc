// SPDX-License-Identifier: GPL-2.0-or-later
// build/modutils-ng: every module tool in one program (tools/multicall.h).
#include "tools/multicall.h"

int main(int argc, char** argv) { return mng::multicall(argc, argv); }
