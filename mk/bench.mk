# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`: pasidtool's performance at scale (docs/performance.md).
# The binary measured is built on its own (build/bench: -O2, no sanitizers,
# no -g), so the figures never depend on what `make` or `make check` left.
# BENCH_BITS=15 stops at 2^15 SSIDs for a quick look.
BENCH_BUILD = build/bench
BENCH_BITS ?= 20
BENCH_SRCS := $(sort $(wildcard bench/*.c))

.PHONY: bench
bench:
	$(Q)$(MAKE) --no-print-directory SAN=0 BUILD=$(BENCH_BUILD) CFLAGS=-O2 \
		$(BENCH_BUILD)/pasidtool $(BENCH_BUILD)/bench/bench \
		$(BENCH_BUILD)/tools/mkkdump
	@rm -rf $(BENCH_BUILD)/work && mkdir -p $(BENCH_BUILD)/work
	./$(BENCH_BUILD)/bench/bench ./$(BENCH_BUILD)/pasidtool $(BENCH_BUILD)/work \
		docs/performance.md $(BENCH_BITS)
	@rm -rf $(BENCH_BUILD)/work && mkdir -p $(BENCH_BUILD)/work
	python3 tests/hostile/run.py --bench ./$(BENCH_BUILD)/pasidtool $(BENCH_BUILD)/work
	@rm -rf $(BENCH_BUILD)/work

$(BUILD)/bench/bench: $(BENCH_SRCS:%.c=$(BUILD)/%.o) $(LIBPASID)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)
