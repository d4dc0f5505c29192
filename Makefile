# Pods: the two commands are `make run` and `make test` (see README.md).
# Prerequisites: Python 3.11+ and Node.js with npm. Everything else is installed here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SCSS := $(shell find static/src -type f 2>/dev/null)

.PHONY: run test lint audit bench load install validators assets chromium stop migrations-check clean

## make run: set up, migrate, seed the demo authority if empty, then web + worker + beat.
run: install validators assets
	PODS_INSTANCE=dev DJANGO_DEBUG=true $(BIN)/python -m config.run

## make test: set up, lint, check migrations, and run the whole suite (browser tests included)
## on two pytest-xdist workers, each an instance of its own (test-gw0, test-gw1: own PostgreSQL,
## Redis and mail port), a file's tests together so each demo fixture is built once.
## Serially: PODS_INSTANCE=test .venv/bin/pytest
test: install validators assets chromium lint migrations-check
	PYTHONUNBUFFERED=1 PODS_INSTANCE=test $(BIN)/pytest -n 2 --dist loadfile

## make bench: build the large dataset and measure key pages (see bench/README.md).
bench: install validators assets
	PODS_INSTANCE=bench $(BIN)/python -m bench.run $(BENCH_ARGS)

## make load: simulated staff (25, 50, 100) on the bench dataset, with locust (bench/README.md).
load: install assets
	PODS_INSTANCE=bench $(BIN)/python -m bench.load $(LOAD_ARGS)

## make lint: ruff, then bandit at medium severity and confidence and above ([tool.bandit]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r . --severity-level medium --confidence-level medium -q

## make audit: pip-audit of every package installed in .venv against the OSV vulnerability
## database. It needs the internet (api.osv.dev), so it is for deployers and not part of
## make test. --strict fails when any package could not be checked, rather than passing.
audit: install
	$(BIN)/pip-audit --local --strict --vulnerability-service osv --progress-spinner off

migrations-check: install
	PODS_INSTANCE=test $(MANAGE) makemigrations --check --dry-run

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The DfE validators pin pandas 1.5 / numpy 1.24, which clash with the app's, so they live in
# their own virtualenv; the app runs reporting/returns/validation/runner.py with its python.
VALIDATORS_VENV := .venv-validators
VALIDATORS_REQUIREMENTS := reporting/returns/validation/requirements.txt

validators: $(VALIDATORS_VENV)/.installed

$(VALIDATORS_VENV)/.installed: $(VALIDATORS_REQUIREMENTS)
	test -x $(VALIDATORS_VENV)/bin/python || $(PYTHON) -m venv $(VALIDATORS_VENV)
	$(VALIDATORS_VENV)/bin/python -m pip install --quiet -r $(VALIDATORS_REQUIREMENTS)
	touch $@

assets: static/build/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(SCSS)
	npm run --silent build
	touch $@

# The browser tests drive Debian's Chromium; install it when it is missing (CI runs as root).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## make stop: stop the embedded PostgreSQL and Redis of every instance.
stop:
	-$(BIN)/python -m config.embedded stop dev
	-$(BIN)/python -m config.embedded stop test
	-$(BIN)/python -m config.embedded stop test-gw0
	-$(BIN)/python -m config.embedded stop test-gw1
	-$(BIN)/python -m config.embedded stop bench

clean: stop
	rm -rf .data static/build staticfiles node_modules $(VENV) $(VALIDATORS_VENV)
