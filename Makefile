# SPDX-License-Identifier: GPL-2.0-or-later
# modutils-ng build.  `make` builds build/modutils-ng, the multi-call
# program, and build/depmod, build/modprobe, build/insmod, ... as links to it,
# `make check` runs the tests (`make check-long` the slow ones), `make bench`
# the benchmarks against kmod.
#
# Packagers' flags are honoured however they are passed (environment or
# command line): CPPFLAGS, CXXFLAGS and LDFLAGS reach every compile and
# link, with the flags the sources need appended by `override`, so that
# e.g. `make CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS)"` keeps -std=c++20.
# The release number comes from the file VERSION alone.
CXX      ?= g++
CXXFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
VERSION  := $(shell cat VERSION)
# Where both tools look for module trees (each falls back to the other of
# /lib/modules and /usr/lib/modules when only that one has the kernel).
MODULEDIR ?= /lib/modules
override CXXFLAGS += -std=c++20 -Wall -Wextra -Wno-unused-parameter -pthread -MMD -MP -I. -D_FILE_OFFSET_BITS=64 \
                     -DMNG_VERSION='"$(VERSION)"' -DMNG_MODULE_DIR='"$(MODULEDIR)"'
# Each function and datum in a section of its own, and the link drops those
# nothing uses (code of the shared core that only the other tool calls).
override CXXFLAGS += -ffunction-sections -fdata-sections
override LDFLAGS  += -Wl,--gc-sections
override LDLIBS   += -lboost_program_options -lz -llzma -lzstd -pthread
# libelf only for the second module reader the checks compare against
# (tests/libelf_module.cc); the tools do not use it.
LIBELF   := -lelf
B        := build

# Every directory's non-test sources form one library; *_test.cc files
# are the unit tests that sit beside the code they test.
lib_srcs  = $(filter-out %_test.cc %_main.cc,$(wildcard $(1)/*.cc))
# common/static_*.cc are linked into the static builds only (mk/static.mk).
COMMON    := $(filter-out common/static_%.cc,$(call lib_srcs,common))
CONF      := $(call lib_srcs,conf)
DEPMOD    := $(call lib_srcs,depmod)
MODPROBE  := $(call lib_srcs,modprobe)
# The tools' entry points and the multi-call dispatch (tools/multicall.h).
TOOLS     := $(call lib_srcs,tools)
TESTS     := $(wildcard common/*_test.cc conf/*_test.cc depmod/*_test.cc modprobe/*_test.cc tools/*_test.cc \
                        tests/*_test.cc) \
             tests/sim_kernel.cc tests/unit_main.cc
# The names the multi-call program answers to, each a link to it in $(B).
TOOL_NAMES := depmod modprobe insmod rmmod lsmod modinfo
TOOL_LINKS := $(addprefix $(B)/,$(TOOL_NAMES))

# modinfo reads PKCS#7 module signatures with OpenSSL's libcrypto, which
# it opens when it first needs it (tools/modinfo_sig.cc): the program is
# not linked with it, only the unit tests are (they sign test modules);
# MNG_OPENSSL=0 builds without it (signatures shown as kmod without
# OpenSSL shows them).
MNG_OPENSSL ?= 1
ifeq ($(MNG_OPENSSL),1)
override CPPFLAGS += -DMNG_HAVE_OPENSSL
CRYPTO_LIBS := -lcrypto
endif

obj = $(patsubst %.cc,$(B)/obj/%.o,$(1))

all: $(B)/modutils-ng $(TOOL_LINKS)

$(B)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

# The files that print the version are rebuilt when it changes.
$(call obj,modprobe/options.cc tools/tool_cli.cc tools/modinfo_options.cc): VERSION

$(B)/libcore.a: $(call obj,$(COMMON) $(CONF))
	@rm -f $@
	ar rcs $@ $^

$(B)/libdepmod.a: $(call obj,$(DEPMOD))
	@rm -f $@
	ar rcs $@ $^

$(B)/libmodprobe.a: $(call obj,$(MODPROBE))
	@rm -f $@
	ar rcs $@ $^

$(B)/libtools.a: $(call obj,$(TOOLS))
	@rm -f $@
	ar rcs $@ $^

# The libraries in link order: the front ends first, the core last.
TOOL_LIBS := $(B)/libtools.a $(B)/libmodprobe.a $(B)/libdepmod.a $(B)/libcore.a

$(B)/modutils-ng: $(call obj,tools/multicall_main.cc) $(TOOL_LIBS)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS)

# Relative links, so the build directory can move.
$(TOOL_LINKS): $(B)/modutils-ng
	ln -sfn modutils-ng $@

$(B)/unit_tests: $(call obj,$(TESTS)) $(TOOL_LIBS)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS) $(CRYPTO_LIBS)

# Both module readers over whole module trees (tests/check-elf-agree.sh).
$(B)/elf_agree: $(call obj,tests/elf_agree.cc tests/libelf_module.cc) $(B)/libcore.a
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS) $(LIBELF)

# `make unit`: every unit test, in well under a minute, with no network, no
# kernel image and no kmod installed (the cases that compare with kmod are
# tagged [.kmod]; tests/check-kmod-reference.sh runs them in make check).
# It builds the test modules unless MNG_TESTMODS names a directory of them.
# Catch2 (a test-only package) is installed first when missing.
MNG_TESTMODS ?= $(B)/testmods
unit:
	sh tests/setup-pkgs.sh --why "unit tests" catch2
	$(MAKE) $(B)/unit_tests $(if $(filter $(B)/testmods,$(MNG_TESTMODS)),$(B)/testmods.stamp)
	MNG_TESTMODS=$(MNG_TESTMODS) $(B)/unit_tests
.PHONY: unit

# Real kernel modules built from tests/modules against Debian's headers.
$(B)/testmods.stamp: $(wildcard tests/modules/*.c tests/modules/Kbuild) tests/build-modules.sh
	sh tests/build-modules.sh $(B)/testmods
	@touch $@

# Both cores by default; the set-up step runs first, alone, because it
# installs the compilers and libraries the build needs.  `make setup`
# installs the build dependencies only; the checks install what they use
# (tests/setup-check.sh, and the scripts that need more their own).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

setup:
	sh ./setup.sh

sample:
	sh ./setup.sh
	$(MAKE) -j$(JOBS) all
	sh tests/sample.sh

# `make check`: the unit tests and every shell check but the long ones,
# one line each (tests/run-checks.sh; the scripts' output goes to
# $(B)/checks/NAME.log).  `make check-long`: the long ones, which build
# the project once more (sanitizers, the Debian package, fuzz smoke run,
# armhf static build under qemu).  CI runs
# `make check check-long`.
check-setup:
	sh ./setup.sh
	sh tests/setup-check.sh
	$(MAKE) -j$(JOBS) all $(B)/unit_tests $(B)/elf_agree $(B)/testmods.stamp

check: check-setup
	B=$(B) sh tests/run-checks.sh --quick

# After `check` when both are asked for, even under -j.
check-long: check-setup $(filter check,$(MAKECMDGOALS))
	B=$(B) sh tests/run-checks.sh --long

bench:
	sh ./setup.sh
	$(MAKE) -j$(JOBS) all
	B=$(B) sh tests/bench.sh

clean:
	rm -rf $(B)

.PHONY: all setup sample check-setup check check-long bench clean
# Header dependencies of every object directory (the static builds' too).
-include $(shell find $(B) -path '*/obj/*' -name '*.d' 2>/dev/null)
include mk/*.mk
