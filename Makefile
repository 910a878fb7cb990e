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
	# one finished, illustrative survey campaign (Cajamarca, Cusco, Tacna), published once; see data/peru/survey
	$(BIN)/python scripts/build_demo_survey.py load --out data/peru/survey/demo-2025.json --db $(DB)
	@echo "ecograph: open http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/ecograph serve --db $(DB)

test: setup
	scripts/test

neo4j: setup
	@scripts/neo4j start
	@echo "Neo4j Browser: the NEO4J_HTTP address above; stop it with: make neo4j-stop"

neo4j-stop:
	scripts/neo4j stop

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .cache $(DB) $(DB)-wal $(DB)-shm
