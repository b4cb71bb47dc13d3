# Every target sets itself up from an empty machine (Python 3.11+ is all it needs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench schema docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/liftspec lint examples/*/lift.yaml && echo "lint: examples clean"
	$(BIN)/liftspec --version

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check liftspec tests bench
	$(BIN)/ruff format --check liftspec tests bench
	$(BIN)/mypy liftspec

bench: $(STAMP)
	PYTHON=$(PYTHON) $(BIN)/python bench/run_all.py

schema: $(STAMP)
	$(BIN)/liftspec schema > schemas/lift.schema.json

docs: $(STAMP)
	$(BIN)/liftspec rules --format markdown > docs/rules.md

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
