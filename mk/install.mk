# SPDX-License-Identifier: GPL-2.0-or-later
# `make install` copies the program, manual pages and bash completion
# under $(DESTDIR)$(PREFIX): the multi-call modutils-ng and, beside it,
# the tools' names as relative symbolic links to it ($(TOOL_NAMES), and
# kmod with INSTALL_KMOD_LINK=yes: off by default, so that an installed
# kmod is not shadowed).  DESTDIR is for staging (packages, tests) and
# is not recorded anywhere; PREFIX defaults to /usr/local so a test
# install never shadows the distribution's kmod in /usr/sbin.
#
# The directories can be set with the packagers' usual names, upper or
# lower case (SBINDIR or sbindir, MANDIR or mandir, BASHCOMPDIR or
# bashcompdir), on the command line or in the environment:
#   make install DESTDIR=/tmp/stage PREFIX=/usr SBINDIR=/sbin
#
# `make install-strip` is `make install` with the programs stripped
# (INSTALL_STRIP_FLAG=-s, as automake does; STRIP=... picks the strip
# program for a cross build).  `make uninstall` removes what install put
# there.
#
# The manual pages are installed from $(B)/man, where their .TH line is
# given the release from VERSION ("modutils-ng 0.1").
#
# Bash completion: depmod's is installed as `depmod` (neither kmod nor
# bash-completion has one); modprobe's is installed under the package's
# name, `modutils-ng`, so that bash-completion's own `modprobe` file is
# neither replaced nor shadowed (a file named `modprobe` in
# /usr/local/share/bash-completion/completions would be found first).
# bash-completion keeps completing modprobe with its own file, which reads
# the options from `modprobe --help`; sourcing the `modutils-ng` file
# (e.g. from ~/.bashrc) switches to ours, and it only takes over modprobe
# when the modprobe found in PATH is modutils-ng's.
PREFIX      ?= /usr/local
DESTDIR     ?=
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
sbindir     ?= $(SBINDIR)
mandir      ?= $(MANDIR)
bashcompdir ?= $(BASHCOMPDIR)
INSTALL     ?= install
INSTALL_STRIP_FLAG ?=

INSTALL_KMOD_LINK  ?= no
INSTALL_PROGRAMS   := modutils-ng
INSTALL_LINKS      := $(TOOL_NAMES) $(if $(filter yes,$(INSTALL_KMOD_LINK)),kmod)
INSTALL_MAN8       := man/depmod.8 man/modprobe.8 man/insmod.8 man/rmmod.8 man/lsmod.8 man/modinfo.8 man/modutils-ng.8
INSTALL_MAN5       := man/modules.conf.5 man/conf.modules.5 man/depmod.d.5 man/modprobe.d.5
# Source file -> installed name.
INSTALL_COMPLETION := completion/depmod:depmod completion/modprobe:modutils-ng

# The manual pages with the release in their header.
MAN_BUILT := $(addprefix $(B)/,$(INSTALL_MAN8) $(INSTALL_MAN5))
$(B)/man/%: man/% VERSION
	@mkdir -p $(dir $@)
	sed '/^\.TH /s/"modutils-ng[^"]*"/"modutils-ng $(VERSION)"/' $< > $@.tmp
	mv $@.tmp $@

man: $(MAN_BUILT)

install: $(addprefix $(B)/,$(INSTALL_PROGRAMS)) $(MAN_BUILT)
	$(INSTALL) -d '$(DESTDIR)$(sbindir)' '$(DESTDIR)$(mandir)/man8' \
	  '$(DESTDIR)$(mandir)/man5' '$(DESTDIR)$(bashcompdir)'
	$(INSTALL) $(INSTALL_STRIP_FLAG) -m 0755 $(addprefix $(B)/,$(INSTALL_PROGRAMS)) '$(DESTDIR)$(sbindir)/'
	$(foreach l,$(INSTALL_LINKS),ln -sfn modutils-ng '$(DESTDIR)$(sbindir)/$(l)' &&) true
	$(INSTALL) -m 0644 $(addprefix $(B)/,$(INSTALL_MAN8)) '$(DESTDIR)$(mandir)/man8/'
	$(INSTALL) -m 0644 $(addprefix $(B)/,$(INSTALL_MAN5)) '$(DESTDIR)$(mandir)/man5/'
	$(foreach c,$(INSTALL_COMPLETION),$(INSTALL) -m 0644 $(word 1,$(subst :, ,$(c))) \
	  '$(DESTDIR)$(bashcompdir)/$(word 2,$(subst :, ,$(c)))' &&) true

# automake's install-strip: the same install, programs stripped.
install-strip:
	$(MAKE) INSTALL_STRIP_FLAG='-s$(if $(STRIP), --strip-program=$(STRIP))' install

uninstall:
	l='$(DESTDIR)$(sbindir)/kmod'; [ "$$(readlink "$$l")" != modutils-ng ] || rm -f "$$l"
	rm -f $(addprefix '$(DESTDIR)$(sbindir)'/,$(INSTALL_PROGRAMS) $(TOOL_NAMES)) \
	  $(addprefix '$(DESTDIR)$(mandir)/man8'/,$(notdir $(INSTALL_MAN8))) \
	  $(addprefix '$(DESTDIR)$(mandir)/man5'/,$(notdir $(INSTALL_MAN5))) \
	  $(foreach c,$(INSTALL_COMPLETION),'$(DESTDIR)$(bashcompdir)/$(word 2,$(subst :, ,$(c)))')

.PHONY: man install install-strip uninstall
