# briefgen — `make briefs` builds every meetings/*.yaml into out/; `make test` runs the tests.
# Every target sets up .venv first when it is missing, so each works on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RECORDS := $(wildcard meetings/*.yaml)
BACKEND ?= auto
BRIEF_FLAGS ?= --backend $(BACKEND)
# JOBS: processes rendering PDFs side by side (0: one per CPU)
JOBS   ?= 0
BENCH_FLAGS ?=

.PHONY: setup briefs check schema test models glossary bench lint clean system-deps review

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	@bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

briefs: $(STAMP)
	$(BIN)/briefgen build $(RECORDS) --out out --jobs $(JOBS) $(BRIEF_FLAGS)

glossary: $(STAMP)
	$(BIN)/briefgen glossary check
	$(BIN)/briefgen glossary eval tests/data/terms tests/data/terms/user.tsv --min-precision 0.95 --min-recall 0.97 --max-trap-share 0.05

# Everything `make briefs` would refuse, found without building (exit 2 and what to do when a record is not ready).
check: $(STAMP)
	$(BIN)/briefgen check $(RECORDS)

# The records' JSON Schema beside them, for editors (a record's first line: # yaml-language-server: $schema=record.schema.json).
schema: $(STAMP)
	$(BIN)/briefgen schema -o meetings/record.schema.json

# The translators' desk: review one record in the browser (RECORD=meetings/x.yaml, optional REVIEW_LANG=ar, PORT=8000).
review: $(STAMP)
	@test -n "$(RECORD)" || { echo "make review: give the record, e.g. make review RECORD=meetings/x.yaml"; exit 2; }
	$(BIN)/briefgen review serve $(RECORD) $(if $(REVIEW_LANG),--lang $(REVIEW_LANG)) $(if $(PORT),--port $(PORT))

test: $(STAMP)
	$(BIN)/python -m pytest -q

models: $(STAMP)
	$(BIN)/briefgen models fetch

# Benchmark (see README, Performance): prints a table, writes bench/results.json; 10-20 minutes on 2 cores.
# Then the shared PostgreSQL memory under load (bench/pg_load.py, bench/pg_results.json; a minute) and the
# translators' desk with 200 texts and 50 saves (bench/desk.py, bench/desk-results.json).
# BENCH_FLAGS=--quick for a one-minute check.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_FLAGS)
	$(BIN)/python bench/pg_load.py $(filter --quick,$(BENCH_FLAGS))
	$(BIN)/python bench/desk.py $(BENCH_FLAGS)

lint: $(STAMP)
	$(BIN)/ruff check briefgen tests bench

clean:
	rm -rf out .pytest_cache
