# Tadamon: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c requirements/constraints.txt
TADAMON := $(BIN)/tadamon

.PHONY: demo run test lint bench install install-dev lock assets browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets

## Compile the translation catalogues (.po -> .mo, without GNU gettext) and build the web fonts.
assets: $(VENV)/.installed
	$(BIN)/python -m tadamon compile-catalogues
	$(BIN)/python -m tadamon build-fonts

## Set everything up, load reference and demo data (idempotent) and serve.
demo: install
	$(TADAMON) migrate --noinput
	$(TADAMON) load-demo
	@echo "Tadamon demo: http://127.0.0.1:$(PORT)/  (accounts in README.md)"
	$(TADAMON) run-demo-server 127.0.0.1:$(PORT)

## Serve without reloading demo data.
run: install
	$(TADAMON) migrate --noinput
	$(TADAMON) run-demo-server 127.0.0.1:$(PORT)

## Debian's Chromium for the browser tests (never a downloaded browser), and poppler-utils (pdftotext,
## pdftoppm) to read back the PDFs the tests make.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "chromium is missing: install Debian's chromium package (browser tests will be skipped)"; fi; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq poppler-utils >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)); \
	  else echo "pdftotext is missing: install Debian's poppler-utils package (PDF text tests will be skipped)"; fi; }

## Install the development tools and run the whole suite.
test: install-dev browser
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

lint: install-dev
	$(BIN)/ruff check src tests benchmarks

bench: install-dev
	$(BIN)/python benchmarks/run.py

## Re-pin every dependency from the current environment.
lock:
	(echo "# Every dependency, pinned. Regenerate with: make lock"; \
	 $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^tadamon') > requirements/constraints.txt

clean:
	rm -rf $(VENV) var/*.sqlite3* build *.egg-info
