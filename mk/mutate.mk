# SPDX-License-Identifier: GPL-2.0-or-later
# `make mutate`: single-token mutations of core/ and formats/, each rebuilt
# in a private copy of the tree (build/mutate/wN) and run against the fast
# tests; prints the mutation score (docs/testing.md). Not part of `make
# check`: a few hundred mutants take tens of minutes on two cores.
#
#   make mutate [MUTANTS=300] [MUTATE_SEED=20261129] [MUTATE_JOBS=1] [MUTATE_FILES='core/*.c formats/*.c']
#   make mutate MUTATE_ONLY='ID ID ...'     re-run chosen mutants (ids from the report)
#   make mutate MUTATE_SURVIVORS=build/mutate/report.txt   re-run a previous run's survivors
MUTANTS ?= 300
MUTATE_SEED ?= 20261129
MUTATE_JOBS ?= 1
MUTATE_FILES ?= core/*.c formats/*.c
MUTATE_ONLY ?=
MUTATE_SURVIVORS ?=

.PHONY: mutate
mutate: deps
	python3 tests/mutate/mutate.py --mutants $(MUTANTS) --seed $(MUTATE_SEED) \
		--jobs $(MUTATE_JOBS) --files $(MUTATE_FILES) \
		$(if $(MUTATE_ONLY),--only $(MUTATE_ONLY)) \
		$(if $(MUTATE_SURVIVORS),--survivors $(MUTATE_SURVIVORS))
