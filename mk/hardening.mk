# SPDX-License-Identifier: GPL-2.0-or-later
# Hardening targets.
#
#   make fuzz          builds the libFuzzer harnesses in fuzz/ with clang
#                      (-fsanitize=fuzzer,address,undefined) into $(B)/fuzz
#                      and runs each for FUZZ_SECONDS (default 60) on its
#                      seed corpus (fuzz/make-seeds.sh) plus what earlier
#                      runs found ($(B)/fuzz/corpus/NAME).  Crashing inputs
#                      are kept as $(B)/fuzz/crashes/NAME-*; the target
#                      fails if a harness found one.
#   make fuzz-smoke    the same for FUZZ_SMOKE_SECONDS (default 10) each.
#   make fuzz-build    only builds the harnesses.
#   make check-asan    builds everything with AddressSanitizer and
#                      UndefinedBehaviorSanitizer (g++) into $(ASAN_B)
#                      (default $(B)-asan), runs the unit tests and the
#                      shell checks listed in ASAN_CHECKS; any sanitizer
#                      report fails.
#
# FUZZ_NAMES selects harnesses (default: every fuzz/fuzz_*.cc), e.g.
#   make fuzz FUZZ_NAMES="module index" FUZZ_SECONDS=600
# Extra libFuzzer flags go in FUZZ_ARGS (e.g. FUZZ_ARGS=-jobs=2).

FUZZ_CXX           ?= clang++
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_ARGS          ?=
FUZZ_DIR           := $(B)/fuzz
FUZZ_NAMES         ?= $(patsubst fuzz/fuzz_%.cc,%,$(wildcard fuzz/fuzz_*.cc))
# The library sources are built with coverage instrumentation but without
# libFuzzer's main(); only the harness links it.
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# The project's flags minus optimisation and debug settings, which are ours.
FUZZ_CXXFLAGS      := -O1 -g $(filter-out -O% -g -g%,$(CXXFLAGS)) $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_BINS          := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_NAMES))

fuzz_obj = $(patsubst %.cc,$(FUZZ_DIR)/obj/%.o,$(1))

$(FUZZ_DIR)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_DIR)/libcore.a: $(call fuzz_obj,$(COMMON) $(CONF))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/libdepmod.a: $(call fuzz_obj,$(DEPMOD))
	@rm -f $@
	ar rcs $@ $^

# Objects before the libraries, depmod's before the core, whatever order
# the prerequisites come in.
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/fuzz/fuzz_%.o $(FUZZ_DIR)/libcore.a
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(filter %.o,$^) $(filter %/libdepmod.a,$^) \
	  $(filter %/libcore.a,$^) -o $@ $(LDLIBS) $(FUZZ_LIBS_$*)

# The harnesses of depmod's own readers (modules.order, modules.builtin,
# modules.builtin.modinfo, the output journal).
$(addprefix $(FUZZ_DIR)/fuzz_,modules_order builtin journal): $(FUZZ_DIR)/libdepmod.a

# fuzz_module compares the module reader with the libelf one.
$(FUZZ_DIR)/fuzz_module: $(FUZZ_DIR)/obj/tests/libelf_module.o
FUZZ_LIBS_module := $(LIBELF)

# Seeds are rebuilt every run: they come from the test modules and from
# Debian's kmod, both of which may change.
$(FUZZ_DIR)/seeds.stamp: fuzz/make-seeds.sh $(B)/testmods.stamp $(wildcard fuzz/seeds/*/*)
	sh fuzz/make-seeds.sh $(B) $(FUZZ_DIR)/seeds
	@touch $@

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds.stamp
	sh fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) "$(FUZZ_ARGS)" $(FUZZ_NAMES)

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_DIR)/seeds.stamp
	sh fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) "$(FUZZ_ARGS)" $(FUZZ_NAMES)

# ---- sanitizer build -------------------------------------------------------
ASAN_B       ?= $(B)-asan
# -Wno-maybe-uninitialized: g++ 12 with the sanitizers at -O1 warns inside
# libstdc++'s <regex> (pulled in by catch.hpp) about its own std::function.
ASAN_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
                -Wno-maybe-uninitialized
ASAN_LDFLAGS := -fsanitize=address,undefined
ASAN_ENV     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
                UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Shell checks run under the sanitizers: they feed our tools real and
# hostile input (about 1.5 minutes).  Left out by default: check-modprobe
# (over a thousand sanitized modprobe runs at ~0.1 s of sanitizer start-up
# each: 5+ minutes instead of 1.5; add it with
# ASAN_CHECKS="... check-modprobe.sh" for a full run), the fuzz smoke run
# (already sanitized), the VM boot test (too slow), the kill test (the
# conformance run's code, killed) and check-asan itself.
ASAN_CHECKS  ?= check-hostile.sh check-index.sh conformance.sh

# CXXFLAGS goes through the environment, not the command line: the
# Makefile appends its own flags (-std=c++20, -I., ...) with +=, which a
# command-line CXXFLAGS would override.
asan-build:
	CXXFLAGS='$(ASAN_FLAGS)' LDFLAGS='$(ASAN_LDFLAGS)' $(MAKE) B=$(ASAN_B) \
	  $(ASAN_B)/depmod $(ASAN_B)/modprobe $(ASAN_B)/unit_tests
	$(MAKE) B=$(ASAN_B) $(ASAN_B)/testmods.stamp

# The Debian images unpacked by tests/fetch-images.sh are shared with $(B)
# rather than unpacked a second time.
check-asan: asan-build
	@mkdir -p $(B)/images
	@[ -e $(ASAN_B)/images ] || ln -s $(abspath $(B))/images $(ASAN_B)/images
	$(ASAN_ENV) MNG_TESTMODS=$(ASAN_B)/testmods $(ASAN_B)/unit_tests
	$(ASAN_ENV) B=$(ASAN_B) MNG_IN_ASAN=1 sh tests/run-checks.sh $(ASAN_CHECKS)

.PHONY: fuzz fuzz-build fuzz-smoke asan-build check-asan
.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/obj/fuzz/fuzz_%.o $(FUZZ_DIR)/obj/tests/%.o
-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
