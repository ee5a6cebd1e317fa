# Two commands on a fresh clone: `make report` and `make test`.
# Each creates .venv when it is missing and installs the project into it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test lint check-install validate bench profile fuzz clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)
	$(PY) generate_report.py generate

validate: $(STAMP)
	$(PY) generate_report.py validate

# axe-core for the accessibility tests (tests/browser); without npm they skip, saying why.
AXE := tests/browser/node_modules/.installed
$(AXE): tests/browser/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; fi

test: $(STAMP) $(AXE)
	$(PY) -m pytest

# ruff's rules and formatting, and mypy (settings in pyproject.toml); CI runs it before the tests.
$(VENV)/.dev: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $@

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The installed route, as a new user takes it: build the wheel, install it into a fresh
# virtual environment outside this folder, run generate-report from another folder.
check-install: $(STAMP)
	$(PY) scripts/check_install.py

# Stage timings against a straightforward build (docs/performance.md).
# e.g. make bench BENCH="--scales sample,small,medium,large --runs 3"
BENCH ?=
bench: $(STAMP)
	$(PY) benchmarks/run.py $(BENCH)

# Where one stage's time goes (pyinstrument), e.g. make profile PROFILE="--scale large --stage pdf"
PROFILE ?=
$(VENV)/.bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

profile: $(VENV)/.bench
	$(PY) benchmarks/profile.py $(PROFILE)

# Mutated sample inputs through validate and generate, on every core; each failing case is
# saved under fuzz/failures/ with the commands that reproduce it (docs/reliability.md).
# e.g. make fuzz FUZZ_CASES=20000
FUZZ_CASES ?= 1000
FUZZ_SEED ?= 1
fuzz: $(STAMP)
	$(PY) fuzz/run.py --cases $(FUZZ_CASES) --seed $(FUZZ_SEED)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist
