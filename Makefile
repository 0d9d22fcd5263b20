# rasd: two commands get you going (see README.md).
#   make demo   create .venv with what the demo needs (rasd and its dependencies, no test
#               tools), process the bundled sample pages into demo.db, print a summary,
#               then serve the API and map on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)
#   make test   create .venv, add the test tools (pytest, httpx, playwright ...), run the
#               whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test
DB     ?= demo.db
PORT   ?= 8000

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# the demo: rasd alone (pip install -e .)
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $(DEMO_STAMP)

# the tests: rasd with its test extra (pip install -e '.[test]')
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(TEST_STAMP) $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/rasd process samples/seeds --db $(DB)
	$(BIN)/rasd export events --db $(DB) --format csv -o demo.events.csv
	@echo "events exported to demo.events.csv (ACLED's columns; opens in a spreadsheet); serving http://127.0.0.1:$(PORT)/"
	$(BIN)/rasd serve --db $(DB) --port $(PORT)

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

bench: $(TEST_STAMP)
	$(BIN)/python bench/bench_process.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.events.csv
