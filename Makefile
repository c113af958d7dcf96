# naba — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SOURCE ?=
DB     ?= naba.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo test lint typecheck unit eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/naba --db "$(DB)" demo $(if $(SOURCE),"$(SOURCE)",) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests eval bench scripts

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
