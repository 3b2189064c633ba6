# The two Quickstart commands: `make demo` and `make test`. Both create .venv on first use and install
# everything pinned from the package registries; nothing is downloaded at run time.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
OUT ?= out

.PHONY: demo test venv clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints.txt $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	bash scripts/install-browser.sh
	bash scripts/install-postgres.sh
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/narrascope analyze examples --db $(OUT)/narrascope.db --format json --out $(OUT)/analysis.json
	$(BIN)/narrascope show --db $(OUT)/narrascope.db --all > $(OUT)/analysis.txt
	$(BIN)/narrascope report --stored --db $(OUT)/narrascope.db --out $(OUT)/report.html --title "Narrascope demo"
	@echo "Report (open in a browser, no server needed): $(OUT)/report.html"
	@echo "Analysis JSON: $(OUT)/analysis.json"
	@echo "Readable text: $(OUT)/analysis.txt"
	@echo "Database:      $(OUT)/narrascope.db"

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(OUT) build src/*.egg-info
