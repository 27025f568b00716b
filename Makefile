# Two commands on a fresh machine: `make run` builds the warehouse from the embedded sample,
# `make test` runs every test. Both bootstrap the environment from uv.lock on their own.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
# dbt and dagster from .venv, for the commands below and the processes they start (dagster dev's code server)
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup run test bench dagster docs sample clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

# --compile-bytecode: Python compiles every module once here, not at every start (where PYTHONDONTWRITEBYTECODE
# is set, as on some locked-down machines, it would otherwise compile Dagster and dbt at each refresh: ~2 s).
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced  ## create .venv from uv.lock and prepare the dbt manifest
	$(BIN)/python -c "from pipelines.defs.project import prepare_manifest; prepare_manifest()"

run: setup  ## build warehouse/emulation.duckdb from the embedded sample (seeds/reports)
	$(BIN)/emulation refresh

test: setup  ## every test (pytest)
	$(BIN)/python -m pytest

docs: setup  ## the data dictionary: warehouse/docs/index.html (dbt docs, static)
	test -f warehouse/emulation.duckdb || $(BIN)/emulation refresh
	$(BIN)/emulation docs

bench: setup  ## national-scale benchmark (benchmarks/README.md); not part of `make test`
	$(BIN)/python benchmarks/run.py

# DAGSTER_HOME: the warehouse's Dagster instance (warehouse/.dagster unless DAGSTER_HOME is set), the one
# `emulation refresh` records its runs in; created with its dagster.yaml on first use.
dagster: setup  ## the Dagster UI on http://127.0.0.1:3000
	home="$$($(BIN)/python -m pipelines.defs.instance)" && DAGSTER_HOME="$$home" $(BIN)/dagster dev -w workspace.yaml

sample: setup  ## regenerate the embedded sample workbooks and emulation plans (deterministic)
	$(BIN)/python seeds/make_sample.py
	$(BIN)/python seeds/make_plans.py

clean:
	rm -rf $(VENV) $(TOOLS) warehouse dbt_project/target dbt_project/logs
