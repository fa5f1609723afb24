# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzzing (docs/fuzzing.md). Included by the Makefile.
#
#   make fuzz                          every harness, clang + libFuzzer + ASan + UBSan, in build/fuzz/
#   make fuzz-run FUZZER=cdtable SECONDS=60 [FUZZ_ARGS=...]
#   make fuzz-smoke [FUZZ_SMOKE_SECONDS=30]   each harness in turn (CI)
#   make bench-fuzz [FUZZER=name] [FUZZ_BENCH_SECONDS=20]   exec/s of each harness
#   make fuzz-merge [FUZZER=name]      minimise build/fuzz/corpus/NAME + fuzz/corpus/NAME into fuzz/corpus/NAME
#   make fuzz-seeds / fuzz-dicts       regenerate fuzz/corpus/*/seed-* and fuzz/dicts/*.dict
#   make coverage                      source-based coverage of the replay drivers over the corpora
#
# The replay drivers ($(BUILD)/replay/NAME, fuzz/replay.c) are built by the
# Makefile and run by tests/run-replay.sh in `make check`.

FUZZ_CC ?= clang
FUZZ_DIR ?= build/fuzz
FUZZ_NAMES := $(FUZZ_SRCS:fuzz/fuzz_%.c=%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_HDRS := $(wildcard fuzz/*.h)
# Instrumentation for the library; the harnesses add -fsanitize=fuzzer.
FUZZ_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS ?= -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZER ?= cdtable
SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_BENCH_SECONDS ?= 20
FUZZ_ARGS ?=
# libFuzzer flags every run gets: its dictionary and bounds that keep a
# slow or greedy input from being mistaken for progress.
FUZZ_RUN_FLAGS = -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_DICT = $(if $(wildcard fuzz/dicts/$(1).dict),-dict=fuzz/dicts/$(1).dict)
FUZZ_MAXLEN = $(shell sed -n 's/^max_len *= *//p' fuzz/$(1).options 2>/dev/null)

.PHONY: fuzz fuzz-lib fuzz-run fuzz-smoke fuzz-merge fuzz-seeds fuzz-dicts fuzz-tools coverage \
	bench-fuzz

fuzz: $(FUZZ_BINS)

# The library, instrumented, built by this Makefile's own rules in its own
# directory (warnings are still shown; -Werror is left to the gcc builds so
# that a new clang warning elsewhere does not stop fuzzing).
ifneq ($(BUILD),$(FUZZ_DIR)/lib)
$(FUZZ_DIR)/lib/libpasid.a: FORCE
	+$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR)/lib SAN=0 CC=$(FUZZ_CC) WERROR= \
		CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" $@
endif
FORCE:

# The writer and the reader of decode's JSON items run for every entry a
# walking harness prints and reads back, over text the harness made: the
# comparisons -fsanitize=fuzzer traces there (a call per byte) took a fifth
# of cdtable's time and tell the fuzzer nothing the dictionaries do not.
# Their edges stay instrumented.
FUZZ_NO_CMP_OBJS = core/emit_item.o core/json_item.o
$(FUZZ_NO_CMP_OBJS:%=$(FUZZ_DIR)/lib/%): SAN_FLAGS += -fno-sanitize-coverage=trace-cmp

$(FUZZ_DIR)/%: fuzz/fuzz_%.c $(FUZZ_HDRS) $(FUZZ_DIR)/lib/libpasid.a
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(FUZZ_CC) $(CPPFLAGS) -Ifuzz -std=c11 $(WARN) -Werror $(FUZZ_CFLAGS) \
		$(DEP_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/lib/libpasid.a $(DEP_LIBS)

fuzz-run: $(FUZZ_DIR)/$(FUZZER)
	@mkdir -p $(FUZZ_DIR)/corpus/$(FUZZER) $(FUZZ_DIR)/artifacts/$(FUZZER)
	$(FUZZ_DIR)/$(FUZZER) $(FUZZ_RUN_FLAGS) -max_total_time=$(SECONDS) \
		$(call FUZZ_DICT,$(FUZZER)) \
		$(if $(call FUZZ_MAXLEN,$(FUZZER)),-max_len=$(call FUZZ_MAXLEN,$(FUZZER))) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$(FUZZER)/ $(FUZZ_ARGS) \
		$(FUZZ_DIR)/corpus/$(FUZZER) $(wildcard fuzz/corpus/$(FUZZER))

# Each harness for FUZZ_SMOKE_SECONDS from the committed corpus; stops at the
# first crash, leaving the reproducer in build/fuzz/artifacts/NAME/.
fuzz-smoke: $(FUZZ_BINS)
	@set -e; for n in $(FUZZ_NAMES); do \
		echo "fuzz-smoke: $$n for $(FUZZ_SMOKE_SECONDS)s"; \
		$(MAKE) --no-print-directory fuzz-run FUZZER=$$n SECONDS=$(FUZZ_SMOKE_SECONDS) \
			FUZZ_ARGS="$(FUZZ_ARGS)" > $(FUZZ_DIR)/smoke-$$n.log 2>&1 || \
			{ tail -n 60 $(FUZZ_DIR)/smoke-$$n.log; echo "fuzz-smoke: $$n FAILED"; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' \
			$(FUZZ_DIR)/smoke-$$n.log | tr '\n' ' ' | sed "s/^/fuzz-smoke: $$n: /"; echo; \
	done; echo "fuzz-smoke: all $(words $(FUZZ_NAMES)) harnesses ran clean"

# exec/s of each harness (or FUZZER) as fuzz-smoke runs it, by wall clock
# and per CPU second (fuzz/bench.sh; docs/fuzzing.md holds the figures).
bench-fuzz: $(if $(filter command line,$(origin FUZZER)),$(FUZZ_DIR)/$(FUZZER),$(FUZZ_BINS))
	@sh fuzz/bench.sh -t $(FUZZ_BENCH_SECONDS) $(if $(filter command line,$(origin FUZZER)),$(FUZZER))

# Minimise what fuzzing found together with the committed corpus, and make
# that the committed corpus: the generated seeds (seed-*) stay as they are,
# and only inputs that add coverage beyond them are kept (named by hash).
fuzz-merge: $(if $(filter command line,$(origin FUZZER)),$(FUZZ_DIR)/$(FUZZER),$(FUZZ_BINS))
	@set -e; for n in $(if $(filter command line,$(origin FUZZER)),$(FUZZER),$(FUZZ_NAMES)); do \
		rm -rf $(FUZZ_DIR)/merge/$$n $(FUZZ_DIR)/merge-in/$$n && \
		mkdir -p $(FUZZ_DIR)/merge/$$n $(FUZZ_DIR)/merge-in/$$n fuzz/corpus/$$n \
			$(FUZZ_DIR)/corpus/$$n; \
		for f in fuzz/corpus/$$n/*; do [ -f "$$f" ] || continue; \
			case $${f##*/} in seed-*) cp "$$f" $(FUZZ_DIR)/merge/$$n/ ;; \
			*) cp "$$f" $(FUZZ_DIR)/merge-in/$$n/ ;; esac; done; \
		$(FUZZ_DIR)/$$n -merge=1 -rss_limit_mb=2048 -timeout=25 $(FUZZ_DIR)/merge/$$n \
			$(FUZZ_DIR)/merge-in/$$n $(FUZZ_DIR)/corpus/$$n > $(FUZZ_DIR)/merge-$$n.log 2>&1 || \
			{ tail -n 30 $(FUZZ_DIR)/merge-$$n.log; exit 1; }; \
		rm -f fuzz/corpus/$$n/*; cp $(FUZZ_DIR)/merge/$$n/* fuzz/corpus/$$n/; \
		echo "fuzz-merge: $$n: $$(ls fuzz/corpus/$$n | wc -l) files"; \
	done

# Generators: dictionaries from the field tables, seeds from testdata.
FUZZ_TOOLS := $(BUILD)/fuzztools/gendict $(BUILD)/fuzztools/genseed
fuzz-tools: $(FUZZ_TOOLS)

$(BUILD)/fuzztools/%: fuzz/%.c $(FUZZ_HDRS) $(LIBPASID)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -Ifuzz -o $@ $< $(LIBPASID) $(DEP_LIBS)

fuzz-dicts: $(BUILD)/fuzztools/gendict
	@mkdir -p fuzz/dicts
	@for n in $(FUZZ_NAMES); do $(BUILD)/fuzztools/gendict $$n > fuzz/dicts/$$n.dict || exit 1; done
	@wc -l fuzz/dicts/*.dict

fuzz-seeds: $(BUILD)/fuzztools/genseed
	@sh fuzz/gen-seeds.sh $(BUILD)

# Coverage: the replay drivers built with clang's source-based coverage, run
# over every corpus and reproducer; line and branch totals of core/ and formats/.
COV_DIR = build/cov
COV_OBJS = $(firstword $(FUZZ_NAMES:%=$(COV_DIR)/replay/%)) \
	   $(addprefix -object ,$(wordlist 2,99,$(FUZZ_NAMES:%=$(COV_DIR)/replay/%)))
# The code that reads untrusted bytes (inputs, JSON, requests): the coverage
# that matters most. Validation rules and the CLI-only writers are reported above.
COV_PARSERS ?= core/source.c core/source_elf.c core/walk.c core/field.c core/emit.c \
	       core/build.c core/image.c formats/smmuv3_strtab.c formats/viommu_decode.c \
	       formats/viommu_req.c
LLVM_PROFDATA ?= $(shell command -v llvm-profdata-14 || command -v llvm-profdata)
LLVM_COV ?= $(shell command -v llvm-cov-14 || command -v llvm-cov)

coverage:
	+$(Q)$(MAKE) --no-print-directory BUILD=$(COV_DIR) SAN=0 CC=clang WERROR= \
		CFLAGS="-O0 -g -fprofile-instr-generate -fcoverage-mapping" \
		$(FUZZ_NAMES:%=$(COV_DIR)/replay/%)
	@rm -rf $(COV_DIR)/prof && mkdir -p $(COV_DIR)/prof
	@for n in $(FUZZ_NAMES); do \
		LLVM_PROFILE_FILE=$(COV_DIR)/prof/$$n.profraw $(COV_DIR)/replay/$$n \
			$$( [ -d fuzz/corpus/$$n ] && echo fuzz/corpus/$$n ) \
			$$( [ -d fuzz/regressions/$$n ] && echo fuzz/regressions/$$n ) \
			> $(COV_DIR)/prof/$$n.log 2>&1 || { cat $(COV_DIR)/prof/$$n.log; exit 1; }; \
	done
	@$(LLVM_PROFDATA) merge -sparse $(COV_DIR)/prof/*.profraw -o $(COV_DIR)/prof/all.profdata
	@$(LLVM_COV) report -show-branch-summary $(COV_OBJS) \
		-instr-profile=$(COV_DIR)/prof/all.profdata core formats | tee $(COV_DIR)/report.txt
	@printf 'parsers only (%s):\n' "$(COV_PARSERS)"
	@$(LLVM_COV) report -show-branch-summary $(COV_OBJS) \
		-instr-profile=$(COV_DIR)/prof/all.profdata $(COV_PARSERS) | tail -n 1
	@$(LLVM_COV) show -format=html -output-dir=$(COV_DIR)/html \
		$(COV_OBJS) -instr-profile=$(COV_DIR)/prof/all.profdata core formats >/dev/null 2>&1 || true
	@echo "coverage: per-line report in $(COV_DIR)/html/index.html"
