# Two commands do all the set-up on a fresh machine:
#   make run    start alongside on the console with ./alongside.db
#   make test   run every test (SQLite always; PostgreSQL, Slack and Matrix when present)
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint bench manifest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/alongside console

demo: $(STAMP)
	$(BIN)/alongside demo

test: lint
	bash scripts/synapse-venv.sh
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot handlers scheduler storage

bench: $(STAMP)
	$(BIN)/python -m bench
	bash scripts/synapse-venv.sh
	$(BIN)/python -m bench matrix
	$(BIN)/python -m bench slack
	$(BIN)/python -m bench instances

manifest: $(STAMP)
	$(BIN)/python -m bot.platforms.slack.manifest > slack/manifest.yml

clean:
	rm -rf $(VENV) .venv-synapse .pytest_cache
