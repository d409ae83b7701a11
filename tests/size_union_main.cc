// SPDX-License-Identifier: GPL-2.0-or-later
// For `make size-report` only: one static binary with both depmod's and
// modprobe's code (their main functions renamed when compiled for it), to
// measure what a program holding both tools costs.  Runs depmod when the
// name it is called by contains "depmod", modprobe otherwise.
#include <cstring>

int mng_size_depmod_main(int argc, char** argv);
int mng_size_modprobe_main(int argc, char** argv);

int main(int argc, char** argv) {
  if (argc > 0 && std::strstr(argv[0], "depmod")) return mng_size_depmod_main(argc, argv);
  return mng_size_modprobe_main(argc, argv);
}
