# SPDX-License-Identifier: GPL-2.0-or-later
# pasidtool — GNU make build. `make` builds, `make check` sets up and runs every
# test (unit, CLI golden, property, hostile input, fuzz corpus replay) in a
# normal and an ASan+UBSan build; `make demo` decodes the bundled sample dump.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

CC ?= cc
PKG_CONFIG ?= pkg-config
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# kdump-compressed pages: zlib always; lzo, snappy and zstd when installed
# (a dump that needs a missing one is refused with a message naming it).
OPT_PKGS := $(foreach p,lzo2 snappy libzstd,$(shell $(PKG_CONFIG) --exists $(p) 2>/dev/null && echo $(p)))
OPT_DEFS := $(if $(filter lzo2,$(OPT_PKGS)),-DPT_HAVE_LZO) \
	$(if $(filter snappy,$(OPT_PKGS)),-DPT_HAVE_SNAPPY) \
	$(if $(filter libzstd,$(OPT_PKGS)),-DPT_HAVE_ZSTD)
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libelf jansson zlib $(OPT_PKGS) 2>/dev/null) $(OPT_DEFS)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs libelf jansson zlib $(OPT_PKGS) 2>/dev/null || echo -lelf -ljansson -lz)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla -Wundef -Wconversion \
       -Wno-sign-conversion -Wimplicit-fallthrough -Wno-missing-field-initializers
WERROR ?= -Werror
OPT ?= -O2 -g
CPPFLAGS += -D_GNU_SOURCE -DPT_VERSION='"$(VERSION)"' -Iinclude -Icore -Iformats -Icli
CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=c11 $(WARN) $(WERROR) $(CFLAGS) $(DEP_CFLAGS)

# BUILD selects an output directory; SAN=1 builds with ASan+UBSan.
SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/san
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build/rel
SAN_FLAGS =
endif

LIB_SRCS := $(sort $(wildcard core/*.c formats/*.c lib/*.c))
CLI_SRCS := $(sort $(wildcard cli/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
REPLAY_BINS := $(FUZZ_SRCS:fuzz/fuzz_%.c=$(BUILD)/replay/%)

PASIDTOOL = $(BUILD)/pasidtool
LIBPASID = $(BUILD)/libpasid.a

.PHONY: all deps check check-one check-san check-rel demo install uninstall clean tools

all: $(PASIDTOOL)

V ?= 0
ifeq ($(V),0)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
say =
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(LIBPASID): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(PASIDTOOL): $(CLI_OBJS) $(LIBPASID)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIBPASID) $(DEP_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBPASID)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -o $@ $< $(LIBPASID) $(CMOCKA_LIBS) $(DEP_LIBS) $(TEST_LIBS)

# The kdump cross-check reads the same files with libkdumpfile (docs/dumps.md).
$(BUILD)/tests/test_kdump_cross: TEST_LIBS = $(shell $(PKG_CONFIG) --libs libkdumpfile 2>/dev/null || echo -lkdumpfile)

$(BUILD)/tools/%: tests/tools/%.c $(LIBPASID)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -o $@ $< $(LIBPASID) $(DEP_LIBS)

# Standalone replay driver: each harness linked without libFuzzer.
$(BUILD)/replay/%: fuzz/fuzz_%.c fuzz/replay.c $(LIBPASID)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -Ifuzz -o $@ $< fuzz/replay.c $(LIBPASID) $(DEP_LIBS)

tools: $(TOOL_BINS)

deps:
	@sh tests/deps.sh

# The whole suite, in the normal build and again under ASan+UBSan.
check: deps
	$(MAKE) --no-print-directory check-rel
	$(MAKE) --no-print-directory check-san
	@sh tests/summary.sh build/rel/results build/san/results

check-rel:
	$(MAKE) --no-print-directory SAN=0 check-one

check-san:
	$(MAKE) --no-print-directory SAN=1 check-one

check-one: $(PASIDTOOL) $(UNIT_BINS) $(TOOL_BINS) $(REPLAY_BINS)
	@rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results
	@sh tests/run-unit.sh $(BUILD) $(UNIT_BINS)
	@sh tests/run-cli.sh $(BUILD)
	@sh tests/run-replay.sh $(BUILD)

# The main job on the bundled sample: a real arm64 guest's memory dump (QEMU
# dump-guest-memory, cut to the pages the decode reads; testdata/dumps/README),
# decoded from its stream table down to every CD, then validated against
# QEMU's SMMU.
# The table root changes with every boot: read it from the dump's README.
DEMO_ROOT := $(shell sed -n 's|^ *pasidtool decode testdata/dumps/guest.elf ||p' testdata/dumps/README)
demo: deps
	@$(MAKE) --no-print-directory $(PASIDTOOL)
	./$(PASIDTOOL) decode testdata/dumps/guest.elf $(DEMO_ROOT)
	./$(PASIDTOOL) validate testdata/dumps/guest.elf $(DEMO_ROOT) --caps qemu

install: $(PASIDTOOL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(PASIDTOOL) $(DESTDIR)$(BINDIR)/pasidtool
	install -m 0644 docs/pasidtool.1 $(DESTDIR)$(MANDIR)/man1/pasidtool.1
	install -m 0644 docs/completion/pasidtool.bash $(DESTDIR)$(BASHCOMPDIR)/pasidtool

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pasidtool $(DESTDIR)$(MANDIR)/man1/pasidtool.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/pasidtool

clean:
	rm -rf build

-include $(wildcard mk/*.mk)
-include $(wildcard $(BUILD)/*/*.d)
