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

# The raw-data mirror (<mirror>/<source-id>/<file>); on the project's machines ../shared/data.
UNVOTES_MIRROR ?= $(if $(wildcard ../shared/data/SOURCES.md),$(abspath ../shared/data),)
export UNVOTES_MIRROR

PROCESSED := data/processed/roll_calls.parquet
DATA_INPUTS := $(wildcard lib/unvotes/*.py lib/unvotes/readers/*.py) lib/unvotes/sources.toml \
               $(wildcard data/external/*.csv) $(wildcard data/raw/undl-ga/*.csv data/raw/undl-sc/*.csv)

.PHONY: help install data report screenshot test lab bench clean
help:
	@echo "make report   build the data and render the report under reports/ (the main job)"
	@echo "make screenshot  render reports/html/index.html in headless Chromium (apt-get install chromium)"
	@echo "make test     run the test suite"
	@echo "make data     fetch raw files (mirror: $${UNVOTES_MIRROR:-not set}) and build data/processed"
	@echo "make lab      JupyterLab with the unvotes package importable"
	@echo "make bench    print build/load/ingest times and peak memory"

install: $(INSTALLED)
$(INSTALLED): pyproject.toml
	@if [ ! -x "$(PY)" ]; then echo "Creating the virtual environment $(ENV_DIR) ..."; python3 -m venv $(ENV_DIR); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

data: $(PROCESSED)
$(PROCESSED): $(INSTALLED) $(DATA_INPUTS)
	$(PY) -m unvotes data

report: data
	$(PY) -m unvotes.report

screenshot: $(INSTALLED)
	$(PY) -m unvotes.report --screenshot

test: $(INSTALLED)
	$(PY) -m pytest

lab: data
	$(PY) -m jupyter lab notebooks

bench: $(INSTALLED)
	$(PY) -m unvotes bench

clean:
	rm -rf data/processed/*.parquet data/processed/build_info.json reports/html reports/executed
