# SPDX-License-Identifier: GPL-2.0-or-later
# Documentation. Included by the Makefile.
#
#   make man          docs/pasidtool.1 from docs/pasidtool.1.scd (needs scdoc)
#   make rules-md     docs/rules.md from `pasidtool rules --markdown`
#   make docs         both
#
# Both outputs are committed, so `make install` needs neither scdoc nor a
# build of the docs; tests/cli/docs.t fails when either is stale.

SCDOC ?= scdoc
# The page's date is the last change of its source, not today's, so
# regenerating an unchanged page gives the same bytes.
MAN_DATE_EPOCH = $(shell git log -1 --format=%ct -- docs/pasidtool.1.scd 2>/dev/null)

.PHONY: docs man rules-md

docs: man rules-md

man:
	$(call say,SCDOC,docs/pasidtool.1)SOURCE_DATE_EPOCH=$(or $(MAN_DATE_EPOCH),0) \
		$(SCDOC) < docs/pasidtool.1.scd > docs/pasidtool.1.tmp && \
		mv docs/pasidtool.1.tmp docs/pasidtool.1

rules-md: $(PASIDTOOL)
	$(call say,GEN,docs/rules.md)./$(PASIDTOOL) rules --markdown > docs/rules.md.tmp && \
		mv docs/rules.md.tmp docs/rules.md
