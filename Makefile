# Two commands do everything on a fresh Debian machine (Python 3.11, root):
#   make run   — set up, then run the nightly flow once on the bundled sample in raw/
#   make test  — set up, lint (ruff, mypy), then run the test suite
# Other targets: make bench (speed figures), make score (corpus and real-file scores),
# make score-real (every real file in one run), make variants (generalization harness), make docs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie
# Headless Chromium and its driver: the data-quality report's browser test opens the report in them.
BROWSER_PACKAGES := chromium chromium-driver

.PHONY: run test lint bench score score-real docs setup system-deps score-deps clean variants

run: setup
	$(BIN)/chiso run --raw-dir raw --warehouse warehouse/chiso.duckdb

test: lint
	$(BIN)/pytest -n 2 --dist loadgroup

# ruff (pyflakes, import order, bugbear, pyupgrade) on all code; mypy --strict on the library chiso/.
lint: setup
	$(BIN)/ruff check chiso flows scripts tests
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m chiso.bench

score: setup score-deps
	$(BIN)/python scripts/score_corpus.py
	$(BIN)/python scripts/score_mof.py
	$(BIN)/python scripts/score_gso_pdf.py
	$(BIN)/python scripts/score_lamdong.py

# Every real file of ../shared/real (MoF, PCI, PAPI, 334 GSO CSVs, the GSO PDF, Lâm Đồng 2025) in one run: ~4–7 min.
score-real: setup
	$(BIN)/python scripts/score_real.py

# Generalization harness: 865 generated variants of the corpus and Lâm Đồng tables (xlsx, PDF, scans, OCR text) through chiso.extract: 4.4 min with --jobs 2 on 2 cores (8.3 min of CPU).
variants: setup
	$(BIN)/python scripts/score_variants.py --jobs 2

docs: setup
# Through chiso.load.dbt, as a run calls dbt: it passes the readers' methods and the breakdown dimensions
# the models compile with (a bare `dbt docs generate` would show SDMX views without their dimension columns).
	$(BIN)/python -c "import sys; from pathlib import Path; from chiso.load.dbt import run_dbt; \
		r = run_dbt(['docs', 'generate'], Path('warehouse/chiso.duckdb')); print(r.log_tail); sys.exit(not r.success)"

setup: system-deps $(STAMP)

# Tesseract with Vietnamese reads scanned reports; installed from Debian when missing.
system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then \
		echo "installing $(APT_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		echo "installing $(BROWSER_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi

# The GSO PDF score compares against poppler's pdftotext, an independent reader; only `make score` needs it.
score-deps:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
		echo "installing poppler-utils"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf warehouse/*.duckdb warehouse/.*.building warehouse/.*.builds warehouse/.*.reading warehouse/quarantine warehouse/report warehouse/gx .prefect dbt_project/target dbt_project/logs
