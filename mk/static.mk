# SPDX-License-Identifier: GPL-2.0-or-later
# `make static` links the multi-call program statically, from the same
# sources and with the same libraries as the normal build, in an object
# directory of its own so the two builds never share objects; the tools'
# names are links to it there, as in $(B).
#
#   make static                                  -> $(B)/static/modutils-ng
#   make static CROSS_COMPILE=arm-linux-gnueabihf-
#                               -> $(B)/static-arm-linux-gnueabihf/modutils-ng
#
# A cross build takes the target's libraries (Boost.Program_options, zlib,
# liblzma, libzstd) from a private sysroot, $(CROSS_SYSROOT), that
# tests/setup-cross.sh fills from Debian's packages for the target
# architecture.  Unpacking them there instead of installing them with
# dpkg avoids multiarch version locks against the host's packages.  Pass
# CROSS_SYSROOT= (empty) to use libraries installed some other way.

CROSS_COMPILE ?=
STATIC_TRIPLE := $(patsubst %-,%,$(notdir $(CROSS_COMPILE)))
STATIC_DIR    := $(B)/static$(if $(STATIC_TRIPLE),-$(STATIC_TRIPLE))
STATIC_CXX    := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)g++,$(CXX))
# gcc-ar: the archives hold link-time optimisation objects (below).
STATIC_AR     := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc-ar,gcc-ar)

# 64-bit file offsets and inode numbers on 32-bit targets: without them
# readdir() fails with EOVERFLOW on file systems with 64-bit directory
# cookies (ext4, btrfs, and any tree seen through qemu-user), and large
# files cannot be stat()ed.  A no-op on 64-bit targets.
STATIC_CXXFLAGS := -D_FILE_OFFSET_BITS=64
# Built for size: -Os, link-time optimisation across all our objects, and
# every function and datum in a section of its own so that the link drops
# what nothing calls (--gc-sections).  Each link writes its map beside the
# binary for tests/size-report.sh.  STATIC_LTO=-flto=1 keeps the link's
# code generation to one process.
STATIC_LTO      ?= -flto=auto
STATIC_CXXFLAGS += -Os $(STATIC_LTO) -ffunction-sections -fdata-sections
STATIC_LDFLAGS  := -static -Wl,--gc-sections
ifneq ($(CROSS_COMPILE),)
CROSS_SYSROOT ?= $(B)/sysroot-$(STATIC_TRIPLE)
# ARM's g++ notes every ABI change since GCC 7 in passing std::vector
# iterators; irrelevant when everything is built by one compiler.
STATIC_CXXFLAGS += -Wno-psabi
endif
ifneq ($(CROSS_SYSROOT),)
STATIC_SYSROOT_STAMP := $(CROSS_SYSROOT)/.complete
# -isystem, so the headers that match the sysroot's libraries win over any
# copy the host has in /usr/include (which the cross compiler also searches).
STATIC_CPPFLAGS := -isystem $(CROSS_SYSROOT)/usr/include \
                   -isystem $(CROSS_SYSROOT)/usr/include/$(STATIC_TRIPLE)
STATIC_LIBDIRS  := -L$(CROSS_SYSROOT)/usr/lib/$(STATIC_TRIPLE)
endif

static_obj = $(patsubst %.cc,$(STATIC_DIR)/obj/%.o,$(1))

STATIC_LINKS := $(addprefix $(STATIC_DIR)/,$(TOOL_NAMES))

static: $(STATIC_DIR)/modutils-ng $(STATIC_LINKS)

# The objects depend on this file too: its flags make them.
$(STATIC_DIR)/obj/%.o: %.cc mk/static.mk | $(STATIC_SYSROOT_STAMP)
	@mkdir -p $(dir $@)
	$(STATIC_CXX) $(CXXFLAGS) $(STATIC_CXXFLAGS) $(STATIC_CPPFLAGS) -c $< -o $@

$(STATIC_DIR)/libcore.a: $(call static_obj,$(COMMON) $(CONF))
	@mkdir -p $(dir $@); rm -f $@
	$(STATIC_AR) rcs $@ $^

$(STATIC_DIR)/libdepmod.a: $(call static_obj,$(DEPMOD))
	@mkdir -p $(dir $@); rm -f $@
	$(STATIC_AR) rcs $@ $^

$(STATIC_DIR)/libmodprobe.a: $(call static_obj,$(MODPROBE))
	@mkdir -p $(dir $@); rm -f $@
	$(STATIC_AR) rcs $@ $^

# common/static_*.cc come first in every static link, so that their
# definitions replace the libraries' own: std::terminate's message without
# libstdc++'s demangler, glob(3) without the user database.
STATIC_FIRST := $(call static_obj,$(wildcard common/static_*.cc))
static_link = $(STATIC_CXX) $(CXXFLAGS) $(STATIC_CXXFLAGS) $(STATIC_LDFLAGS) $^ -o $@ -Wl,-Map,$@.map \
              $(LDFLAGS) $(STATIC_LIBDIRS) $(LDLIBS)

$(STATIC_DIR)/libtools.a: $(call static_obj,$(TOOLS))
	@mkdir -p $(dir $@); rm -f $@
	$(STATIC_AR) rcs $@ $^

$(STATIC_DIR)/modutils-ng: $(STATIC_FIRST) $(call static_obj,tools/multicall_main.cc) $(STATIC_DIR)/libtools.a \
                           $(STATIC_DIR)/libmodprobe.a $(STATIC_DIR)/libdepmod.a $(STATIC_DIR)/libcore.a
	$(static_link)

$(STATIC_LINKS): $(STATIC_DIR)/modutils-ng
	ln -sfn modutils-ng $@

# `make size-report`: where the bytes of the static multi-call program go
# (tests/size-report.sh over its link map), for x86-64 or, with
# CROSS_COMPILE, the cross build.
size-report: $(STATIC_DIR)/modutils-ng
	STRIP=$(if $(CROSS_COMPILE),$(CROSS_COMPILE)strip,strip) NM=$(if $(CROSS_COMPILE),$(CROSS_COMPILE)nm,nm) \
	  sh tests/size-report.sh $^

ifneq ($(STATIC_SYSROOT_STAMP),)
$(STATIC_SYSROOT_STAMP): tests/setup-cross.sh
	sh tests/setup-cross.sh $(STATIC_TRIPLE) $(CROSS_SYSROOT)
endif

.PHONY: static size-report
