# Self-documenting Makefile: `make help` lists the targets (## comments).
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml requirements-lock.txt
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements-lock.txt -e ".[dev]"
	@touch $(STAMP)

.PHONY: help venv chromium libreoffice reports test test-fast lint format data check-browser check-accessibility notebook-outputs lock benchmarks clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-17s\033[0m %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install the project (done by every target that needs it)

chromium: ## Install Debian's Chromium when missing (status PDFs, browser and accessibility checks)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "Chromium could not be installed: the status PDFs will be skipped (their HTML is written)"

libreoffice: ## Install Debian's headless LibreOffice Writer when missing (the test that renders the Word status)
	@command -v soffice >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null) \
	  || echo "LibreOffice could not be installed: the Word document's rendering test will be skipped"

reports: $(STAMP) chromium ## Main job: every evaluation on the example data into reports/, with an index page and the yearly status documents (HTML, PDF and Word)
	$(PY) -m analysis reports

test: $(STAMP) chromium libreoffice ## All tests: pytest over tests/ and nbval over notebooks/
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider

test-fast: $(STAMP) ## The edit-test loop: every test not marked slow (no batches, kernels or browsers)
	$(PY) -m pytest tests -m "not slow" -q -p no:cacheprovider

lint: $(STAMP) ## ruff check and ruff format --check (CI runs it before the tests)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## ruff format and import sorting
	$(VENV)/bin/ruff check --fix --select I .
	$(VENV)/bin/ruff format .

data: $(STAMP) ## Regenerate the synthetic example data in data/raw/example/ (fixed seed)
	$(PY) -m analysis.example_data

check-browser: $(STAMP) chromium ## Render one report in headless Chromium and check the screenshot
	$(PY) -m analysis.browser_check

check-accessibility: $(STAMP) chromium ## axe-core (npm) in Chromium over every report, the index and the status documents: 0 WCAG 2.1 A/AA violations
	$(PY) -m analysis.accessibility

notebook-outputs: $(STAMP) ## Store the nbval-checked outputs in notebooks/evaluation.ipynb (after changes)
	$(PY) -m analysis.reporting.template

lock: ## Refresh requirements-lock.txt from the current .venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements-lock.txt

benchmarks: $(STAMP) ## Print the speed figures (not tests)
	@for b in benchmarks/[!_]*.py; do echo "== $$b"; $(PY) $$b; done

clean: ## Remove generated reports and processed data (keeps the READMEs)
	find reports data/processed -mindepth 1 ! -name README.md ! -name .gitkeep -delete
