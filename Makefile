# Two commands on a fresh machine: `make build` (the dataset) and `make test` (the tests).
# Both create .venv and install the pinned versions (requirements.lock) when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# For the runs the daemon and the webserver of `make dev` create (pipelines/instance.py: RUN_ENVIRONMENT says why)
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS ?= true
export DAGSTER_EVENT_BATCH_SIZE ?= 500

.PHONY: build test bench dev lint lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The instance and its settings (deploy/dagster-local.yaml); made only when missing, so a dagster.yaml of your
# own (e.g. deploy/dagster.yaml for PostgreSQL) is never overwritten.
INSTANCE := $(DAGSTER_HOME)/dagster.yaml
$(INSTANCE):
	mkdir -p $(DAGSTER_HOME)
	cp deploy/dagster-local.yaml $(INSTANCE)

# System packages the tests drive for real: Debian's Chromium (browser tests, through Playwright's Python
# package with executable_path, never a downloaded browser), PostgreSQL (the shared-deployment instance
# test starts its own server) and Redis (the Celery broker the scale-out test starts). Installed once, as root,
# like CI does; checked again when this Makefile changes (a package added here).
SYSTEM_STAMP := .venv/.system-packages
$(SYSTEM_STAMP): Makefile | $(STAMP)
	command -v chromium >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql; }
	command -v redis-server >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	touch $(SYSTEM_STAMP)

## build: materialise every asset and publish the data package to dist/
build: $(STAMP) | $(INSTANCE)
	$(BIN)/python -m pipelines.build
	@echo "Published: dist/datapackage/datapackage.json and dist/lapin-hankkeet-datapackage.zip"

## test: run the test suite (and the linters: ruff, and lint-imports for the layering in pyproject.toml)
test: $(STAMP) $(SYSTEM_STAMP) | $(INSTANCE)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

## bench: the benchmarks (not part of the tests; ~5 minutes), with Splink as the deduplication peer; writes
## BENCHMARKS.md. The peer is installed under the lock's pins: it must not move the pipeline's own versions.
bench: $(STAMP) | $(INSTANCE)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[bench]'
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## dev: open the Dagster UI (http://127.0.0.1:3000) with every asset
dev: $(STAMP) | $(INSTANCE)
	$(BIN)/dagster dev -w workspace.yaml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

## lock: re-pin requirements.lock from the current environment (after changing dependencies)
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,scale]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^lapin-hankkeet' > requirements.lock

clean:
	rm -rf dist .dagster_home
