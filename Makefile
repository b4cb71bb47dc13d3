# Every target sets itself up from an empty machine (Python 3.11+ is all it needs).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench schema docs clean sam-cli

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== liftspec lint examples/*/lift.yaml (every environment)"
	$(BIN)/liftspec lint examples/*/lift.yaml && echo "clean"
	@echo "== liftspec compile examples/order-service (verified with the SAM translator and cfn-lint)"
	$(BIN)/liftspec compile examples/order-service/lift.yaml --env production --cfn --out build/demo/order-service
	@ls -1 build/demo/order-service
	@echo "== liftspec diff: staging against production"
	$(BIN)/liftspec diff examples/order-service/lift.yaml --env staging --env production || true

# Static checks, then the suite under coverage (subprocesses included), then the coverage gates.
test: $(STAMP) lint
	rm -f .coverage .coverage.*
	mkdir -p build
	$(BIN)/python -m coverage run -m pytest 2>&1 | tee build/pytest.log
	$(BIN)/python -m coverage combine -q
	$(BIN)/python -m coverage report --format=total | sed 's/^/coverage, all code: /; s/$$/%/'
	$(BIN)/python -m coverage report --include='lift_runtime/*' --fail-under=90 --format=total | sed 's/^/coverage, lift_runtime: /; s/$$/%/'
	$(BIN)/python -m coverage report --include='liftspec/check/*' --fail-under=90 --format=total | sed 's/^/coverage, policy engine: /; s/$$/%/'
	@tail -n 1 build/pytest.log

lint: $(STAMP)
	$(BIN)/ruff check liftspec lift_runtime tests bench
	$(BIN)/ruff format --check liftspec lift_runtime tests bench
	$(BIN)/mypy --strict liftspec lift_runtime bench/run_all.py

bench: $(STAMP)
	PYTHON=$(PYTHON) $(BIN)/python bench/run_all.py

schema: $(STAMP)
	$(BIN)/liftspec schema > schemas/lift.schema.json

docs: $(STAMP)
	$(BIN)/liftspec rules --format markdown > docs/rules.md
	$(BIN)/liftspec schema --format markdown > docs/format.md

# The AWS SAM CLI in its own virtualenv (tests/test_sam_cli.py creates it too when it is missing).
SAM_VENV := .tools/sam-venv
sam-cli: $(SAM_VENV)/bin/sam
$(SAM_VENV)/bin/sam:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
