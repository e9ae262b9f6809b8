# make install [PREFIX=/usr/local] [DESTDIR=]   builds the release binary and installs it with its man page
#                                               and bash, zsh and fish completions under PREFIX
# make uninstall [PREFIX=...] [DESTDIR=]        removes exactly those files
# BIN=path installs another build of spotlog instead of building the release one.
PREFIX ?= /usr/local
DESTDIR ?=
RELEASE = .build/release/spotlog
BIN ?= $(RELEASE)
bindir = $(DESTDIR)$(PREFIX)/bin
man1dir = $(DESTDIR)$(PREFIX)/share/man/man1
bashdir = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: all release install uninstall

all: release

release:
	swift build -c release --static-swift-stdlib --product spotlog

install: $(if $(filter $(RELEASE),$(BIN)),release)
	install -d "$(bindir)" "$(man1dir)" "$(bashdir)" "$(zshdir)" "$(fishdir)"
	install -m 0755 "$(BIN)" "$(bindir)/spotlog"
	install -m 0644 man/spotlog.1 "$(man1dir)/spotlog.1"
	install -m 0644 completions/spotlog.bash "$(bashdir)/spotlog"
	install -m 0644 completions/_spotlog "$(zshdir)/_spotlog"
	install -m 0644 completions/spotlog.fish "$(fishdir)/spotlog.fish"

uninstall:
	rm -f "$(bindir)/spotlog" "$(man1dir)/spotlog.1" "$(bashdir)/spotlog" "$(zshdir)/_spotlog" "$(fishdir)/spotlog.fish"
