"""Cakupan ETL: files (registrations, BPJS exports, denominators, targets, boundaries) into DuckDB.

Run ``python -m etl --help``. Layers: readers (file -> staging text), loaders (validation,
quarantine, core tables), marts (SQL summaries the dashboard reads).
"""
