# `make install` copies the programs, manual pages and bash completion
# under $(DESTDIR)$(PREFIX).  DESTDIR is for staging (packages, tests) and
# is not recorded anywhere; PREFIX defaults to /usr/local so a test
# install never shadows the distribution's kmod in /usr/sbin.
PREFIX      ?= /usr/local
DESTDIR     ?=
sbindir     ?= $(PREFIX)/sbin
mandir      ?= $(PREFIX)/share/man
bashcompdir ?= $(PREFIX)/share/bash-completion/completions
INSTALL     ?= install

INSTALL_PROGRAMS   := depmod modprobe
INSTALL_MAN8       := man/depmod.8 man/modprobe.8
# conf.modules.5 is a one-line ".so" redirect to modules.conf.5.
INSTALL_MAN5       := man/modules.conf.5 man/conf.modules.5 man/depmod.d.5 man/modprobe.d.5
INSTALL_COMPLETION := completion/depmod completion/modprobe

install: $(addprefix $(B)/,$(INSTALL_PROGRAMS))
	$(INSTALL) -d '$(DESTDIR)$(sbindir)' '$(DESTDIR)$(mandir)/man8' \
	  '$(DESTDIR)$(mandir)/man5' '$(DESTDIR)$(bashcompdir)'
	$(INSTALL) -m 0755 $(addprefix $(B)/,$(INSTALL_PROGRAMS)) '$(DESTDIR)$(sbindir)/'
	$(INSTALL) -m 0644 $(INSTALL_MAN8) '$(DESTDIR)$(mandir)/man8/'
	$(INSTALL) -m 0644 $(INSTALL_MAN5) '$(DESTDIR)$(mandir)/man5/'
	$(INSTALL) -m 0644 $(INSTALL_COMPLETION) '$(DESTDIR)$(bashcompdir)/'

uninstall:
	rm -f $(addprefix '$(DESTDIR)$(sbindir)'/,$(INSTALL_PROGRAMS)) \
	  $(addprefix '$(DESTDIR)$(mandir)/man8'/,$(notdir $(INSTALL_MAN8))) \
	  $(addprefix '$(DESTDIR)$(mandir)/man5'/,$(notdir $(INSTALL_MAN5))) \
	  $(addprefix '$(DESTDIR)$(bashcompdir)'/,$(notdir $(INSTALL_COMPLETION)))

.PHONY: install uninstall
