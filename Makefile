# aims developer entry points. Every target creates the virtualenv it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTS ?= tests
PYTEST_ARGS ?=

.PHONY: help venv demo test lint format typecheck pytest accuracy bench docs-check clean services

help:
	@echo "make demo       scan the bundled example repository and write its AIBOM"
	@echo "make test       lint, type-check and run the whole test suite"
	@echo "make accuracy   precision/recall of every detector on the labelled corpora"
	@echo "make bench      run the benchmarks under bench/"
	@echo "make format     reformat the code with ruff"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# An editable install is not byte-compiled; with PYTHONDONTWRITEBYTECODE set, every
	@# command would recompile aims from source (a third of a cached rescan).
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@mkdir -p build/demo
	$(BIN)/aims scan examples/demo-app --no-progress
	$(BIN)/aims scan examples/demo-app --no-progress --format cyclonedx --reproducible --output build/demo/aibom.cdx.json
	@echo "AIBOM written to build/demo/aibom.cdx.json"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) services
	$(BIN)/python -m pytest -n auto $(TESTS) $(PYTEST_ARGS)

services:
	@bash scripts/services.sh

test: lint typecheck pytest

accuracy: $(STAMP)
	$(BIN)/python -m aims.accuracy
	$(BIN)/python -m aims.secrets.accuracy
	$(BIN)/python -m aims.agents.accuracy

bench: $(STAMP)
	$(BIN)/python bench/scan.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
