# Every target sets itself up from an empty machine (Python 3.11+ is all it needs).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GO_STAMP := $(VENV)/.go-toolchain
SAM_VENV := .tools/sam-venv
CHECKOV_VENV := .tools/checkov-venv

.PHONY: demo test test-slow lint bench schema docs prebuilt clean go-toolchain sam-cli checkov

# constraints.txt pins every dependency to the versions the tests last passed with (`pip freeze`).
# pip compiles the installed packages' bytecode on one core (about 25 s of the install); compileall uses both
# (and, like pip, leaves a file that does not compile as source).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q -j 2 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') > /dev/null || true
	touch $(STAMP)

# Go (Debian's golang-go) for the Go runtime, config and example tests; without it they skip with the reason.
$(GO_STAMP): | $(STAMP)
	@if command -v go >/dev/null; then touch $@; \
	elif (apt-get update -qq && apt-get install -y -qq golang-go) >/dev/null 2>&1 \
		|| (sudo -n apt-get update -qq && sudo -n apt-get install -y -qq golang-go) >/dev/null 2>&1; then \
		go version && touch $@; \
	else echo "warning: Go could not be installed (apt-get install golang-go): the Go tests will be skipped"; fi

go-toolchain: $(GO_STAMP)

demo: $(STAMP)
	@echo "== liftspec lint examples/*/lift.yaml (every environment)"
	$(BIN)/liftspec lint examples/*/lift.yaml && echo "clean"
	@echo "== liftspec compile examples/order-service (verified with the SAM translator and cfn-lint)"
	$(BIN)/liftspec compile examples/order-service/lift.yaml --env production --cfn --out build/demo/order-service
	@ls -1 build/demo/order-service
	@echo "== liftspec diff: staging against production"
	$(BIN)/liftspec diff examples/order-service/lift.yaml --env staging --env production || true

# Static checks, then the suite under coverage on two cores (subprocesses and forked workers included), then the
# coverage gates and the ten slowest tests. Tests marked slow run in `make test-slow` (CI runs both).
# Bytecode for liftspec itself first: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every CLI process a
# test starts would compile liftspec from source again (about 0.1 s each).
test: $(STAMP) $(GO_STAMP) lint
	rm -f .coverage .coverage.*
	mkdir -p build
	$(BIN)/python -m compileall -q -j 2 liftspec lift_runtime
	$(BIN)/python -m coverage run -m pytest -n 2 --dist loadfile -m "not slow" --durations=10 2>&1 | tee build/pytest.log
	$(BIN)/python -m coverage combine -q
	$(BIN)/python -m coverage report --format=total | sed 's/^/coverage, all code: /; s/$$/%/'
	$(BIN)/python -m coverage report --include='lift_runtime/*' --fail-under=90 --format=total | sed 's/^/coverage, lift_runtime: /; s/$$/%/'
	$(BIN)/python -m coverage report --include='liftspec/check/*' --fail-under=90 --format=total | sed 's/^/coverage, policy engine: /; s/$$/%/'
	@sed -n '/slowest 10 durations/,/^$$/p' build/pytest.log
	@tail -n 1 build/pytest.log

test-slow: $(STAMP) $(GO_STAMP) $(SAM_VENV)/bin/sam $(CHECKOV_VENV)/bin/checkov
	$(BIN)/python -m compileall -q -j 2 liftspec lift_runtime
	$(BIN)/python -m pytest -n 2 --dist loadfile -m slow --durations=10

lint: $(STAMP)
	$(BIN)/ruff check liftspec lift_runtime tests bench
	$(BIN)/ruff format --check liftspec lift_runtime tests bench
	$(BIN)/mypy --strict liftspec lift_runtime bench/run_all.py
	$(BIN)/lint-imports --no-cache

# Measured from a normal (non-editable) install, as users run it: build/bench-venv, reinstalled from this tree.
BENCH_VENV := build/bench-venv
bench: $(STAMP)
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -c constraints.txt . awslambdaric  # awslambdaric: the runtime bench imports what Lambda has loaded
	$(BENCH_VENV)/bin/pip install --quiet --no-deps --force-reinstall .
	PYTHON=$(PYTHON) $(BENCH_VENV)/bin/python bench/run_all.py

schema: $(STAMP)
	$(BIN)/liftspec schema > schemas/lift.schema.json

prebuilt: $(STAMP)
	$(BIN)/python -c "from liftspec.model import prebuilt; prebuilt.main()"

docs: $(STAMP)
	$(BIN)/liftspec rules --format markdown > docs/rules.md
	$(BIN)/liftspec schema --format markdown > docs/format.md

# The AWS SAM CLI in its own virtualenv (tests/test_sam_cli.py creates it too when it is missing).
sam-cli: $(SAM_VENV)/bin/sam
$(SAM_VENV)/bin/sam:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli

# checkov in its own virtualenv, at the version make bench compares against, for tests/test_resources_checkov.py.
checkov: $(CHECKOV_VENV)/bin/checkov
$(CHECKOV_VENV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet "$$(grep '^checkov==' bench/peers/requirements.txt)"

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
