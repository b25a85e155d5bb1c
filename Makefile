# One command per job. On a fresh machine with only Python 3.11, `make report` and `make test`
# create the virtual environment (.venv) and install the pinned packages first; inside an
# active virtual or conda environment they use it instead.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ifdef VIRTUAL_ENV
PY := $(VIRTUAL_ENV)/bin/python
ENV_DIR := $(VIRTUAL_ENV)
else ifneq ($(filter-out base,$(CONDA_DEFAULT_ENV)),)
PY := $(CONDA_PREFIX)/bin/python
ENV_DIR := $(CONDA_PREFIX)
else
PY := .venv/bin/python
ENV_DIR := .venv
endif
INSTALLED := $(ENV_DIR)/.unvotes-installed
# The interpreter that makes .venv: Python 3.11 (pyproject.toml), found as python3.11 or python3. The lock
# needs 3.11.5 or later: its soupsieve 4.1.3 requires it, and pip's error on an older 3.11 (Debian 12 ships
# 3.11.2) names nbconvert instead (tests/test_environment.py checks MIN_PYTHON against every installed package).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
MIN_PYTHON := 3.11.5
comma := ,
IS_311 := import sys; sys.exit(not (($(subst .,$(comma) ,$(MIN_PYTHON))) <= sys.version_info[:3] < (3, 12)))
NEEDS := Python $(MIN_PYTHON) or a later 3.11 (requirements.lock pins soupsieve 4.1.3, which requires $(MIN_PYTHON))

# The raw-data mirror (<mirror>/<source-id>/<file>); on the project's machines ../shared/data.
UNVOTES_MIRROR ?= $(if $(wildcard ../shared/data/SOURCES.md),$(abspath ../shared/data),)
export UNVOTES_MIRROR

# The processed tables are one unit: make rebuilds them all when any is missing or older than an input.
# Their curated inputs are the tables of data/external the last build read (it lists them in
# data/processed/curated_inputs.mk), so editing the claims or the news articles does not rebuild them;
# before a first build, and when a listed table is gone, every curated table counts.
TABLES := roll_calls votes roll_call_issues countries quality_findings
PROCESSED := $(patsubst %,data/processed/%.parquet,$(TABLES)) data/processed/build_info.json
-include data/processed/curated_inputs.mk
ifneq ($(words $(wildcard $(CURATED_INPUTS))),$(words $(CURATED_INPUTS)))
CURATED_INPUTS :=
endif
CURATED_INPUTS := $(or $(CURATED_INPUTS),$(wildcard data/external/*.csv))
DATA_INPUTS := $(wildcard lib/unvotes/*.py lib/unvotes/sources/*.py lib/unvotes/sources/readers/*.py lib/unvotes/tables/*.py \
                          lib/unvotes/analyses/*.py) lib/unvotes/sources/sources.toml \
               $(CURATED_INPUTS) $(wildcard data/raw/undl-ga/*.csv data/raw/undl-sc/*.csv)
# A raw file the last build read (RAW_INPUTS, from curated_inputs.mk) that is gone, e.g. a removed add-vote
# record: a wildcard cannot see a deletion, so the tables are rebuilt without the file.
ifneq ($(words $(wildcard $(RAW_INPUTS))),$(words $(RAW_INPUTS)))
DATA_INPUTS += raw-input-removed
endif
.PHONY: raw-input-removed
# A processed table without parquet's magic bytes at both ends (cut short or overwritten) is out of date too, so
# `make data` rebuilds it instead of saying "Nothing to be done" (a flip inside the file is found when it is read).
CORRUPT_TABLES := $(shell for f in $(patsubst %,data/processed/%.parquet,$(TABLES)); do [ -f "$$f" ] || continue; \
                    [ "$$(head -c4 "$$f")$$(tail -c4 "$$f")" = PAR1PAR1 ] || echo "$$f"; done)
ifneq ($(CORRUPT_TABLES),)
DATA_INPUTS += processed-table-corrupt
endif
.PHONY: processed-table-corrupt

.PHONY: help install lock data report screenshot test check-wheel lab bench clean
help:
	@echo "make report   build the data and render the report under reports/ (the main job)"
	@echo "make screenshot  render reports/html/index.html in headless Chromium (apt-get install chromium)"
	@echo "make test     run the test suite"
	@echo "make check-wheel  install the built wheel on every Python 3.11+ here and fit a model outside the checkout"
	@echo "make data     fetch raw files (mirror: $${UNVOTES_MIRROR:-not set}) and build data/processed"
	@echo "make lab      JupyterLab with the unvotes package importable (LAB_ARGS=\"--port 8899 --no-browser\")"
	@echo "make lock     re-pin every installed package in requirements.lock after changing pyproject.toml"
	@echo "make bench    print build, load, ingest, report (cold, warm, site size) and make test times and peak memory"

install: $(INSTALLED)
# A .venv without the marker $(INSTALLED) is one whose install failed or was stopped: it is recreated, not
# reused (pip would start from a half-installed environment, or one made by a Python that cannot install).
$(INSTALLED): pyproject.toml requirements.lock
	@if [ "$(ENV_DIR)" = .venv ]; then \
	  if [ -e .venv ] && [ ! -e $(INSTALLED) ]; then \
	    echo "The environment .venv never finished installing (an earlier install failed or was stopped): recreating it ..."; rm -rf .venv; \
	  elif [ -x "$(PY)" ] && ! $(PY) -c '$(IS_311)' 2>/dev/null; then \
	    echo "The environment .venv has $$($(PY) --version 2>&1) or is broken, not $(NEEDS): recreating it ..."; rm -rf .venv; fi; \
	  if [ ! -x "$(PY)" ]; then \
	    $(PYTHON) -c '$(IS_311)' 2>/dev/null || { echo "error: this project needs $(NEEDS), and '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Install it or run: make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)"; exit 1; }; \
	    echo "Creating the virtual environment .venv with $(PYTHON) ..."; rm -rf .venv; $(PYTHON) -m venv .venv; fi; \
	elif ! $(PY) -c '$(IS_311)'; then echo "error: the active environment $(ENV_DIR) has $$($(PY) --version 2>&1); this project needs $(NEEDS)"; exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	@echo "Installing the pinned packages (requirements.lock) and the unvotes package; this takes a minute or two ..."
	$(PY) -m pip install --quiet -c requirements.lock -e ".[report,lab,dev]"
	@touch $@

# Re-pin every package after changing a range in pyproject.toml or upgrading (tests/test_environment.py checks
# that every locked version lies in its range).
lock: $(INSTALLED)
	$(PY) -m pip install --quiet -e ".[report,lab,dev]"
	{ echo "# Every package of the environment, pinned (pip constraints). Regenerate with: make lock"; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^-e '; } > requirements.lock.part && mv requirements.lock.part requirements.lock
	@echo "Wrote requirements.lock ($$(wc -l < requirements.lock) packages)"

data: $(PROCESSED)
$(PROCESSED) &: $(INSTALLED) $(DATA_INPUTS) $(wildcard data/raw/undl-records/*.xml)
	$(PY) -m unvotes data
# The build writes every table atomically (all or none), so an interrupted recipe leaves the previous tables
# whole: make must not delete them on Ctrl-C (it deletes interrupted targets, and a grouped target's siblings).
.PRECIOUS: $(PROCESSED)

report: data
	$(PY) -m unvotes.report

screenshot: $(INSTALLED)
	$(PY) -m unvotes.report --screenshot

# One worker per core (pytest-xdist), each test module kept on one worker so that its fixtures (a built
# site, executed notebooks) are made once; modules in collection order, which tests/conftest.py starts with
# the slow ones, longest first (START_ORDER: the notebooks in three modules, kernels, report runs, model fits),
# instead of xdist's order by number of tests, which left them for last on one worker.
test: $(INSTALLED)
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder

# The package as a user installs it: the wheel, not editable, in a fresh environment of each Python 3.11+ the
# machine has, fitting a model from outside the checkout on the tables built here (.ci/check_wheel says more).
check-wheel: data
	bash .ci/check_wheel

# Extra JupyterLab options: make lab LAB_ARGS="--port 8899 --no-browser"; as root --allow-root is added.
LAB_ARGS ?=
lab: data
	$(PY) -m jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

bench: $(INSTALLED)
	$(PY) -m unvotes bench

clean:
	rm -rf data/processed/*.parquet data/processed/build_info.json data/processed/curated_inputs.mk data/processed/.*.part reports/html reports/executed
