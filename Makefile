# The two quick-start commands: `make serve` and `make test`. Each installs what it needs.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint bench install browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## serve the demo corpus in data/ on http://127.0.0.1:5000 (builds index/ first if needed)
serve: $(STAMP)
	$(BIN)/searchfic serve

## Debian's chromium for the browser tests (root only; elsewhere those tests skip with a reason)
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## run the test suite (lint, format, types, unit, API, browser); slow loops stay behind -m slow
test: $(STAMP) browser
	$(BIN)/ruff check searchfic tests bench
	$(BIN)/ruff format --check searchfic tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check searchfic tests bench
	$(BIN)/ruff format --check searchfic tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py
