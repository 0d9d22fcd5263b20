# rasd: two commands get you going (see README.md).
#   make demo   create .venv, process the bundled sample pages into demo.db, print a summary,
#               then serve the API and map on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)
#   make test   create .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
PORT   ?= 8000

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rasd process samples/seeds --db $(DB)
	$(BIN)/rasd export events --db $(DB) --format csv -o demo.events.csv
	@echo "events exported to demo.events.csv; serving http://127.0.0.1:$(PORT)/"
	$(BIN)/rasd serve --db $(DB) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_process.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.events.csv
