# SPDX-License-Identifier: GPL-2.0-or-later
# libpasid as a shared library next to the static one the CLI links: the
# same core/, formats/ and lib/ sources compiled a second time as PIC with
# hidden visibility, only pasid_* exported (lib/pasid.map), a versioned
# soname; its header, pkg-config file and install rules (docs/library.md).

LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

LIB_SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
LIB_SONAME := libpasid.so.$(LIB_SOMAJOR)
LIB_REALNAME := libpasid.so.$(VERSION)
LIBPASID_SO := $(BUILD)/$(LIB_REALNAME)
PIC_OBJS := $(LIB_SRCS:%.c=$(BUILD)/pic/%.o)
# What a static link of libpasid needs besides it (pasid.pc's Requires.private).
LIB_REQUIRES := libelf jansson zlib $(OPT_PKGS)
# pasid.pc says its directories relative to ${prefix} where they are, so that
# pkg-config --define-variable=prefix=DIR finds a DESTDIR copy.
pc_rel = $(patsubst $(PREFIX)%,$${prefix}%,$(1))

.PHONY: lib install-lib uninstall-lib

lib: $(LIBPASID) $(LIBPASID_SO)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(LIBPASID_SO): $(PIC_OBJS) lib/pasid.map
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -shared \
		-Wl,-soname,$(LIB_SONAME) -Wl,--version-script=lib/pasid.map -Wl,--no-undefined \
		-o $@ $(PIC_OBJS) $(DEP_LIBS)
	$(Q)ln -sf $(LIB_REALNAME) $(BUILD)/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $(BUILD)/libpasid.so

check-one: $(LIBPASID_SO)

install: install-lib
uninstall: uninstall-lib

install-lib: $(LIBPASID) $(LIBPASID_SO)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/pasid $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0644 $(LIBPASID) $(DESTDIR)$(LIBDIR)/libpasid.a
	install -m 0755 $(LIBPASID_SO) $(DESTDIR)$(LIBDIR)/$(LIB_REALNAME)
	ln -sf $(LIB_REALNAME) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libpasid.so
	install -m 0644 include/pasid/pasid.h $(DESTDIR)$(INCLUDEDIR)/pasid/pasid.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES@|$(LIB_REQUIRES)|' lib/pasid.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/pasid.pc

uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libpasid.a $(DESTDIR)$(LIBDIR)/$(LIB_REALNAME) \
	      $(DESTDIR)$(LIBDIR)/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libpasid.so \
	      $(DESTDIR)$(INCLUDEDIR)/pasid/pasid.h $(DESTDIR)$(PKGCONFIGDIR)/pasid.pc
	rmdir $(DESTDIR)$(INCLUDEDIR)/pasid 2>/dev/null || true

-include $(wildcard $(BUILD)/pic/*/*.d)
