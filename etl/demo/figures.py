"""The demo's figures: the ground truth of what was generated (for calibration checks in the
tests, SQL in etl/sql/demo/ground_truth.sql) and the kabupaten's headline as the dashboard and
``export coverage`` show it (etl.metrics), which is what the demo reports to people.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import metrics, queries
from ..db import connect_readonly

SQL_FOLDER = queries.SQL_DIR / "demo"


def headline_figures(db_path: str | Path, as_of: dt.date) -> dict:
    """Ground truth of the generated data at the reference date (figure name -> value)."""
    con = connect_readonly(db_path)
    try:
        sql = queries.text("ground_truth", SQL_FOLDER)
        result = con.execute(sql, queries.used_params(
            sql, {"month": dt.date(as_of.year, as_of.month, 1)}))
        names = [d[0] for d in result.description]
        return dict(zip(names, result.fetchall()[0]))
    finally:
        con.close()


def dashboard_figures(db_path: str | Path) -> dict:
    """The kabupaten's headline at the month the dashboard opens on (etl.metrics)."""
    con = connect_readonly(db_path)
    try:
        row = metrics.coverage_table(con, level="kabupaten").iloc[0]
        return {"month": metrics.default_month(con), **{k: row[k] for k in (
            "estimated_workers", "registered", "verified", "enrolled", "active",
            "coverage_pct", "gap")}}
    finally:
        con.close()
