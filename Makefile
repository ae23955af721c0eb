# Two commands for a newcomer: `make demo` (set up, build demo data, open the dashboard) and
# `make test`.
PYTHON ?= python

.PHONY: setup demo run test bench

setup:
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	$(PYTHON) -m dashboard.offline install

demo: setup
	$(PYTHON) -m etl demo
	$(PYTHON) -m streamlit run app.py

run:
	$(PYTHON) -m streamlit run app.py

test:
	$(PYTHON) -m pytest -q

bench:
	$(PYTHON) bench/ingest.py
	$(PYTHON) bench/pages.py
