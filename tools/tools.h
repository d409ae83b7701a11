// SPDX-License-Identifier: GPL-2.0-or-later
// The entry points of the module tools.  Each is a whole program's main():
// ARGV[0] is the name it was called by (messages use its last component),
// the result is the exit status.  The multi-call program (multicall.h)
// picks one by name.
#pragma once

int depmod_main(int argc, char** argv);
int modprobe_main(int argc, char** argv);
int insmod_main(int argc, char** argv);
int rmmod_main(int argc, char** argv);
int lsmod_main(int argc, char** argv);
// `kmod static-nodes ...` with "static-nodes" left out: ARGV[0] is the
// program's own name ("kmod"), which its messages and help use.
int static_nodes_main(int argc, char** argv);
// kmod's own command line: `kmod [-h|-V] list|static-nodes|help ...`.
int kmod_main(int argc, char** argv);
