# Two commands matter: `make demo` (serve a demo program) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench install

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/planner demo

test: $(BIN)/.installed
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench

format: $(BIN)/.installed
	$(BIN)/ruff format planner tests bench
	$(BIN)/ruff check --fix planner tests bench

bench: $(BIN)/.installed
	for f in bench/*_bench.py; do $(BIN)/python $$f; done
