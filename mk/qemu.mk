# SPDX-License-Identifier: GPL-2.0-or-later
# make check-qemu: boot a real arm64 guest under QEMU's SMMUv3 model
# (Debian's qemu-system-arm and arm64 cloud kernel, fetched with apt when
# missing; needs root for that) and check that pasidtool decodes the stream
# table, STEs and CDs QEMU itself used. Takes a minute or two under TCG.
# QEMU_ARGS=--update also refreshes testdata/dumps/ (guest.elf, guest.kdump,
# regs.txt, expected.json).
# See docs/qemu-guest.md.
QEMU_WORK ?= build/qemu
QEMU_ARGS ?=

check-qemu: deps $(PASIDTOOL)
	@bash tests/qemu/run.sh --pasidtool $(PASIDTOOL) --work $(QEMU_WORK) $(QEMU_ARGS)

.PHONY: update-qemu-dump
update-qemu-dump: deps $(PASIDTOOL) $(BUILD)/tools/mkkdump
	@bash tests/qemu/run.sh --pasidtool $(PASIDTOOL) --work $(QEMU_WORK) --update
