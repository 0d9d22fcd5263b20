# rasd: two commands get you going (see README.md).
#   make demo   create .venv, process the bundled sample pages into demo.db, print a summary
#   make test   create .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rasd process samples/seeds --db $(DB)
	$(BIN)/rasd export articles --db $(DB) -o demo.articles.jsonl
	@echo "articles exported to demo.articles.jsonl"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_process.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.articles.jsonl
