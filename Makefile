# Two commands matter: `make demo` (serve a demo program) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench install messages test-tools wheel lock
CATALOGUE := translations/zh_Hans_CN/LC_MESSAGES/messages

# installs are pinned by requirements.lock (made from pyproject.toml by `make lock`)
$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

# after changing dependencies in pyproject.toml: pin every package again (uv, from PyPI)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --extra dev \
		--no-header --output-file requirements.lock pyproject.toml

install: $(BIN)/.installed $(CATALOGUE).mo

# axe-core for the browser tests' accessibility checks (tests only, from the npm registry):
# `make demo` needs neither Node nor npm
test-tools: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# compiled catalogues are build output: made from the .po files, never committed
$(CATALOGUE).mo: $(CATALOGUE).po $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages

# after changing user-facing strings: refresh the catalogue, then translate the new entries
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching

demo: install
	$(BIN)/planner demo

# on every core (pytest-xdist); tests that share a server, a port or a service run as one
# group on one worker (see the conftest files). PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
test: install test-tools
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check planner tests bench tools
	$(BIN)/ruff format --check planner tests bench tools
	$(BIN)/mypy

format: $(BIN)/.installed
	$(BIN)/ruff format planner tests bench tools
	$(BIN)/ruff check --fix planner tests bench tools

bench: $(BIN)/.installed
	for f in bench/*_bench.py; do $(BIN)/python -m bench.$$(basename $$f .py) || exit 1; done

# a wheel that carries templates, static files, translations, playbooks and migrations
wheel: $(BIN)/.installed
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist .
