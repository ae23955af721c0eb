"""Property-based tests: the SQL NIK rules agree with lokal-id's parse_nik on any input.

The loader judges millions of NIKs in SQL; lokal-id's parser is the reference for one NIK. Both
must accept exactly the same NIKs, and a rejected NIK's reason must be one of lokal's errors.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lokal import parse_nik

from etl import db
from etl.loaders import load_file
from tests.support.helpers import row, write_csv

# lokal error code -> our reason code
LOKAL_TO_REASON = {"format": "nik_format", "province": "nik_region", "wilayah": "nik_region",
                   "birth_date": "nik_birth_date", "serial": "nik_serial"}

digits16 = st.text(alphabet="0123456789", min_size=16, max_size=16)


@st.composite
def plausible_nik(draw):
    """NIK-shaped strings that hit every rule: real and fake regions, days 0-71, months 0-13."""
    province = draw(st.sampled_from(["63", "36", "11", "99", "00", "31"]))
    kab = draw(st.sampled_from(["11", "00", "01", "71"]))
    kec = draw(st.sampled_from(["04", "00", "09"]))
    day = draw(st.integers(0, 71))
    month = draw(st.integers(0, 13))
    year = draw(st.integers(0, 99))
    serial = draw(st.sampled_from([0, 1, 9999, 42]))
    return f"{province}{kab}{kec}{day:02d}{month:02d}{year:02d}{serial:04d}"


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(niks=st.lists(st.one_of(plausible_nik(), digits16), min_size=30, max_size=120,
                     unique=True))
def test_sql_rules_agree_with_lokal_parse_nik(tmp_path_factory, niks):
    tmp = tmp_path_factory.mktemp("prop")
    rows = [row(nik_=n, birth="1/1/1990") for n in niks]
    db_path = tmp / "p.duckdb"
    summary = load_file("registrations", write_csv(tmp / "f.csv", rows), db_path=db_path)
    con = db.connect_readonly(db_path)
    rejected = dict(con.execute("SELECT row_number, reason_code FROM meta.quarantine").fetchall())
    con.close()
    today = dt.date.today()
    for i, n in enumerate(niks, start=1):
        info = parse_nik(n, reference_date=today)
        if info.valid:
            assert i not in rejected, f"{n} is valid for lokal but rejected: {rejected.get(i)}"
        else:
            assert i in rejected, f"{n} is invalid for lokal ({info.errors}) but accepted"
            assert rejected[i] in {LOKAL_TO_REASON[e.code] for e in info.errors}, (
                n, rejected[i], info.errors)
    assert summary.accepted + summary.quarantined == len(niks)


@settings(max_examples=60, deadline=None)
@given(niks=st.lists(digits16, min_size=1, max_size=20), key=st.binary(min_size=1, max_size=40))
def test_sql_person_key_equals_python_person_key(niks, key):
    """The SQL macro (bulk loads) and the Python function (single lookups) hash identically."""
    import duckdb

    from etl.identity import install_macros, person_key

    con = duckdb.connect()
    install_macros(con, key=key)
    got = [r[0] for r in con.execute(
        "SELECT person_key(n) FROM unnest(?::VARCHAR[]) AS t(n)", [niks]).fetchall()]
    assert got == [person_key(n, key=key) for n in niks]
    assert len(set(got)) == len(set(niks))
