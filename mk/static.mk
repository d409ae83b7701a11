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
STATIC_AR     := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)ar,ar)

# 64-bit file offsets and inode numbers on 32-bit targets: without them
# readdir() fails with EOVERFLOW on file systems with 64-bit directory
# cookies (ext4, btrfs, and any tree seen through qemu-user), and large
# files cannot be stat()ed.  A no-op on 64-bit targets.
STATIC_CXXFLAGS := -D_FILE_OFFSET_BITS=64
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

$(STATIC_DIR)/obj/%.o: %.cc | $(STATIC_SYSROOT_STAMP)
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

$(STATIC_DIR)/libtools.a: $(call static_obj,$(TOOLS))
	@mkdir -p $(dir $@); rm -f $@
	$(STATIC_AR) rcs $@ $^

$(STATIC_DIR)/modutils-ng: $(call static_obj,tools/multicall_main.cc) $(STATIC_DIR)/libtools.a \
                           $(STATIC_DIR)/libmodprobe.a $(STATIC_DIR)/libdepmod.a $(STATIC_DIR)/libcore.a
	$(STATIC_CXX) $(CXXFLAGS) -static $^ -o $@ $(LDFLAGS) $(STATIC_LIBDIRS) $(LDLIBS)

$(STATIC_LINKS): $(STATIC_DIR)/modutils-ng
	ln -sfn modutils-ng $@

ifneq ($(STATIC_SYSROOT_STAMP),)
$(STATIC_SYSROOT_STAMP): tests/setup-cross.sh
	sh tests/setup-cross.sh $(STATIC_TRIPLE) $(CROSS_SYSROOT)
endif

.PHONY: static
-include $(shell find $(STATIC_DIR)/obj -name '*.d' 2>/dev/null)
