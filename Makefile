# Two commands: `make demo` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= ecograph.db

.PHONY: demo test setup neo4j neo4j-stop lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/ecograph load data/peru --db $(DB)
	$(BIN)/ecograph stats --db $(DB)

test: setup
	scripts/test

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .cache $(DB) $(DB)-wal $(DB)-shm
