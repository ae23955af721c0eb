"""Indonesian number and date formats (etl.formats), which every page, the PDF, the public page
and site, the CLI and the load reports use: a bupati reads 12.345 and 45,6% everywhere."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from etl import formats


@pytest.mark.parametrize("value, text", [(12345, "12.345"), (1234567.6, "1.234.568"), (0, "0"),
                                         (-5, "-5"), (None, "-"), (math.nan, "-"), (pd.NA, "-")])
def test_counts_use_a_dot_for_thousands(value, text):
    assert formats.fmt_int(value) == text


def test_missing_values_can_read_otherwise():
    assert formats.fmt_int(None, missing="") == ""
    assert formats.fmt_juta(None, missing="s") == "s"


def test_percentages_and_ratios_use_a_decimal_comma():
    assert formats.fmt_percent(45.64) == "45,6%"
    assert formats.fmt_pct(0.4564) == "45,6%"
    assert formats.fmt_pct(0.4564, digits=0) == "46%"
    assert formats.fmt_decimal(3.25, digits=2) == "3,25"
    assert formats.fmt_percent(None) == "-"


def test_changes_carry_their_sign():
    assert formats.fmt_signed(1234) == "+1.234"
    assert formats.fmt_signed(-1234.4) == "-1.234"
    assert formats.fmt_signed(0) == "+0"


def test_money_in_rupiah_and_in_millions():
    assert formats.fmt_rupiah(568562400) == "Rp568.562.400"
    assert formats.fmt_juta(568562400) == "569"
    assert formats.fmt_juta(1_234_600_000) == "1.235"


@pytest.mark.parametrize("value", ["2026-10-31", dt.date(2026, 10, 31), pd.Timestamp("2026-10-31"),
                                   "2026-10-31T08:00:00"])
def test_dates_and_months_in_indonesian(value):
    assert formats.fmt_date(value) == "31 Oktober 2026"
    assert formats.fmt_month("2026-08") == "Agustus 2026"
    assert formats.fmt_month(dt.date(2026, 8, 1)) == "Agustus 2026"
    assert formats.fmt_date(None) == formats.fmt_date("") == "-"


def test_one_formatter_module():
    """No module formats Indonesian numbers by hand (the thousands-separator replace) or keeps
    its own month names: they go through etl.formats."""
    from tests.support.helpers import REPO

    offenders = []
    for folder in ("etl", "dashboard", "pages"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name == "formats.py":
                continue
            text = path.read_text(encoding="utf-8")
            if 'replace(",", ".")' in text or '"Oktober", "November"' in text:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
