# Two commands for a newcomer: `make demo` (set up, build the demo data, open the dashboard) and
# `make test`. Everything runs in a virtual environment in the checkout (.venv, not committed),
# created from python3 on first use, so nothing is installed into the system Python (PEP 668).
# Only `setup` (the first run, or after requirements*.txt change) needs the package registries.
PYTHON3 ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Test workers: one per core (pytest-xdist), at most MAX_WORKERS; each worker that runs browser
# tests starts its own server on a free port.
TEST_WORKERS ?= auto
MAX_WORKERS ?= 4
PYTEST_ARGS ?=

.PHONY: setup demo demo-data run test bench boundaries clean-venv

# The venv is (re)installed when a requirements file is newer than its stamp.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON3) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Cakupan needs Python 3.11 or newer as '$(PYTHON3)' (found: $$($(PYTHON3) --version 2>&1))." >&2; \
	  echo "Install it, or run make PYTHON3=/path/to/python3.11" >&2; exit 1; }
	@test -x $(PY) && $(PY) -m pip --version >/dev/null 2>&1 || { \
	  rm -rf $(VENV); $(PYTHON3) -m venv $(VENV) || { \
	    rm -rf $(VENV); \
	    echo "Could not create $(VENV): install the venv module (sudo apt-get install python3-venv)." >&2; \
	    exit 1; }; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed
	$(PY) -m dashboard.offline install

demo-data: setup
	$(PY) -m etl demo

demo: demo-data run

run: setup
	$(PY) -m streamlit run app.py

test: setup
	$(PY) -m pytest -q -n $(TEST_WORKERS) --maxprocesses $(MAX_WORKERS) $(PYTEST_ARGS)

bench: setup
	$(PY) bench/ingest.py
	$(PY) bench/pages.py

# Regenerate geo/bundled from ../shared/geo (cahyadsn/wilayah_boundaries); see geo/bundle.py.
boundaries: $(VENV)/.installed
	$(PY) -m geo.bundle

clean-venv:
	rm -rf $(VENV)
