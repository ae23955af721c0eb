"""Invariants of the marts, as data tests: on the hand-made fixture loaded through the real loaders,
and on random messy funnels written straight into the core tables (events out of order, enrolment
before registration, rejections followed by enrolment, payments ending before enrolment).

The rules (etl/sql/marts/10_people.sql): registered >= verified >= rejected-free enrolled >= active
in every place and month; active + lapsed = enrolled; cumulative counts never fall; every place is
a desa of core.regions; no personal data in any mart; coverage above 100% is reported by
metrics.coverage_issues, never clipped.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from etl import db, identity, marts, metrics, settings
from etl.load_log import sync_regions
from etl.sectors import SECTOR_LABELS
from tests.support.metrics_db import load_builder


def fetch(path, sql, params=None):
    con = db.connect_readonly(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# -- invariants, written once and checked on every database below ------------------------------

def check_invariants(path) -> None:
    # Keys unique and not null.
    for table, key in [("marts.people", "person_key"),
                       ("marts.monthly", "month, desa_code, sector"),
                       ("marts.denominators", "year, desa_code, coalesce(sector, '*')")]:
        dupes = fetch(path, f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1")
        assert dupes == [], (table, dupes[:5])
    assert fetch(path, "SELECT count(*) FROM marts.people WHERE person_key IS NULL")[0][0] == 0
    # A NULL desa is the unknown place (people whose desa is unknown): its kecamatan is NULL too.
    assert fetch(path, "SELECT count(*) FROM marts.monthly WHERE month IS NULL OR sector IS NULL"
                       " OR (desa_code IS NULL) <> (kecamatan_code IS NULL)")[0][0] == 0
    # Every other place of the monthly mart is a desa of the gazetteer, under its own kecamatan.
    assert fetch(path, """
        SELECT DISTINCT m.desa_code, m.kecamatan_code FROM marts.monthly AS m
        LEFT JOIN core.regions AS r ON r.code = m.desa_code AND r.level = 'desa'
        WHERE m.desa_code IS NOT NULL
          AND (r.code IS NULL OR r.parent_code <> m.kecamatan_code)""") == []
    # Sectors are the fixed list.
    sectors = {r[0] for r in fetch(path, "SELECT DISTINCT sector FROM marts.monthly")}
    assert sectors <= set(SECTOR_LABELS)
    # Funnel order in every row (desa x sector x month), hence in every sum of rows.
    bad = fetch(path, """
        SELECT * FROM marts.monthly
        WHERE NOT (registered >= verified AND verified >= enrolled - other_channel
                   AND enrolled - other_channel >= active - other_channel_active
                   AND active - other_channel_active >= 0
                   AND other_channel_active BETWEEN 0 AND other_channel
                   AND active >= 0 AND active + lapsed = enrolled AND other_channel <= enrolled
                   AND verified + rejected <= registered)""")
    assert bad == [], bad[:5]
    # Cumulative counts never fall from one month to the next, and month steps are one month.
    bad = fetch(path, """
        SELECT * FROM (
            SELECT month, desa_code, sector, registered, verified, enrolled,
                   lag(month) OVER w AS prev_month,
                   lag(registered) OVER w AS prev_registered,
                   lag(verified) OVER w AS prev_verified,
                   lag(enrolled) OVER w AS prev_enrolled
            FROM marts.monthly
            WINDOW w AS (PARTITION BY desa_code, sector ORDER BY month))
        WHERE prev_month IS NOT NULL
          AND (month <> prev_month + INTERVAL 1 MONTH OR registered < prev_registered
               OR verified < prev_verified OR enrolled < prev_enrolled)""")
    assert bad == [], bad[:5]
    # The increments add up to the cumulative figures.
    bad = fetch(path, """
        SELECT desa_code, sector FROM marts.monthly
        GROUP BY desa_code, sector
        HAVING sum(new_registered) <> arg_max(registered, month)
            OR sum(new_enrolled) <> arg_max(enrolled, month)
            OR sum(new_lapsed) <> arg_max(lapsed, month)""")
    assert bad == [], bad[:5]
    # Every form registrant and every member is counted once in the latest month, placed or not.
    latest = fetch(path, "SELECT coalesce(sum(registered), 0), coalesce(sum(enrolled), 0) "
                         "FROM marts.monthly "
                         "WHERE month = (SELECT max(month) FROM marts.monthly)")[0]
    people = fetch(path, "SELECT count(*) FILTER (WHERE channel = 'formulir' AND reg_month <= m), "
                         "count(*) FILTER (WHERE enr_month <= m) FROM marts.people, "
                         "(SELECT max(month) AS m FROM marts.monthly)")[0]
    assert latest == people
    # No personal data in any mart.
    columns = {r[0] for r in fetch(path, "SELECT column_name FROM duckdb_columns() "
                                         "WHERE schema_name = 'marts'")}
    assert not columns & {"nik", "kk", "full_name", "name", "phone", "kpj", "nik_masked"}

    con = db.connect_readonly(path)
    try:
        check_metric_invariants(con)
    finally:
        con.close()


def check_metric_invariants(con) -> None:
    for month in metrics.months(con)[-3:]:
        desa = metrics.coverage_table(con, level="desa", as_of=month, with_unknown=True)
        kec = metrics.coverage_table(con, level="kecamatan", as_of=month, with_unknown=True)
        kab = metrics.coverage_table(con, level="kabupaten", as_of=month)
        assert desa["kode"].is_unique and kec["kode"].is_unique and len(kab) == 1
        regions = {r[0] for r in con.execute(
            "SELECT code FROM core.regions WHERE level = 'desa'").fetchall()}
        assert set(desa["kode"].dropna()) == regions  # every desa, data or not
        # At most one more row: the people whose desa is unknown.
        assert len(desa) - len(regions) == desa["kode"].isna().sum() <= 1
        for table in (desa, kec, kab):
            form_enrolled = table["enrolled"] - table["other_channel"]
            assert (table["registered"] >= table["verified"]).all()
            assert (table["verified"] >= form_enrolled).all()
            assert (form_enrolled >= table["active"] - table["other_channel_active"]).all()
            assert (table["enrolled"] >= table["active"]).all()
            assert (table["active"] + table["lapsed"] == table["enrolled"]).all()
            with_estimate = table[table["estimated_workers"].notna()]
            assert (with_estimate["gap"]
                    == with_estimate["estimated_workers"] - with_estimate["active"]).all()
        # Figures roll up by code: desa -> kecamatan -> kabupaten.
        counts = ["registered", "verified", "enrolled", "active", "lapsed", "other_channel"]
        assert desa[counts].sum().tolist() == kec[counts].sum().tolist() == \
            kab[counts].iloc[0].tolist()
        assert desa["estimated_workers"].sum() == kab["estimated_workers"].fillna(0).iloc[0]
        # By sector the rows add up to the place totals.
        by_sector = metrics.coverage_table(con, level="kecamatan", by_sector=True, as_of=month,
                                           with_unknown=True)
        summed = by_sector.groupby("kode", dropna=False)[counts].sum()
        assert summed.loc[kec["kode"]].values.tolist() == kec[counts].values.tolist()
        # Coverage above 100% is listed as an issue, with the figures unclipped.
        over = desa[desa["estimated_workers"].notna()
                    & (desa["active"] > desa["estimated_workers"])]
        issues = metrics.coverage_issues(con, as_of=month)
        assert sorted(issues["kode"]) == sorted(over["kode"])
        assert (issues["coverage_pct"] > 100).all()
        # The funnel and the trend give the kabupaten's figures.
        f = metrics.funnel(con, as_of=month)
        row = kab.iloc[0]
        assert [f["submitted"], f["verified"], f["enrolled"], f["active"]] == \
            [row["registered"], row["verified"], row["enrolled"], row["active"]]
        assert f["enrolled_form"] + f["other_channel"] == f["enrolled"]
        trend = metrics.monthly_trend(con).set_index("month")
        assert trend.loc[month, ["registered", "verified", "enrolled", "active"]].tolist() == \
            [row["registered"], row["verified"], row["enrolled"], row["active"]]


# -- the hand-made fixture through the loaders ------------------------------------------------

def test_fixture_invariants(fixture_db):
    check_invariants(fixture_db)


def test_fixture_people(fixture_db):
    rows = fetch(fixture_db, "SELECT channel, placed, count(*) FROM marts.people GROUP BY ALL "
                             "ORDER BY ALL")
    members_without_desa = fetch(fixture_db, "SELECT count(*) FROM core.members "
                                             "WHERE desa_code IS NULL")[0][0]
    # 8 form participants; M9 and M10 placed through the export's desa; M11 (no desa) unplaced
    # when the members loader keeps it.
    expected = [("formulir", True, 8), ("lain", True, 2)]
    if members_without_desa:
        expected.insert(1, ("lain", False, 1))
    assert rows == expected
    # P7 submitted twice: one person, first submission date.
    p7 = identity.person_key("6311040707900007")
    assert fetch(fixture_db, "SELECT registered_on, submissions FROM marts.people "
                             "WHERE person_key = ?", [p7]) == [(dt.date(2025, 4, 1), 2)]
    # P8: rejected, then enrolled: enrolment wins, verified at the enrolment date.
    p8 = identity.person_key("6311040707900008")
    assert fetch(fixture_db, "SELECT verification_status, ver_date, rej_date FROM marts.people "
                             "WHERE person_key = ?", [p8]) == [("rejected", dt.date(2025, 6, 1),
                                                                None)]


def test_coverage_above_100_is_reported(fixture_db):
    con = db.connect_readonly(fixture_db)
    try:
        issues = metrics.coverage_issues(con)
    finally:
        con.close()
    # Tariwin: 2 active against an estimate of 1.
    assert issues[["kode", "kecamatan_kode", "estimated_workers", "active", "coverage_pct",
                   "excess"]].values.tolist() == [["63.11.04.2001", "63.11.04", 1, 2, 200.0, 1]]


def test_reloading_changes_nothing(fixture_db, tmp_path):
    before = fetch(fixture_db, "SELECT * FROM marts.monthly ORDER BY ALL")
    from etl import loaders

    summary = loaders.load_file("registrations", load_builder().HERE / "registrations.csv",
                                db_path=fixture_db)
    assert summary.already_loaded
    assert fetch(fixture_db, "SELECT * FROM marts.monthly ORDER BY ALL") == before


# -- random messy funnels straight into the core tables ---------------------------------------

def random_database(path, seed: int, people: int = 400) -> None:
    rng = random.Random(seed)
    kabupaten = settings.get("kabupaten")
    with db.write_session(path) as con:
        identity.check_key(con, kabupaten)
        sync_regions(con, kabupaten)
        desa = [r[0] for r in con.execute(
            "SELECT code FROM core.regions WHERE level = 'desa' ORDER BY code").fetchall()]
        desa = rng.sample(desa, 12)
        start = dt.date(2023, 1, 1)

        def day(after: dt.date | None = None, spread: int = 700) -> dt.date:
            base = after or start
            return base + dt.timedelta(days=rng.randint(-30 if after else 0, spread))

        for n in range(people):
            key = seed * 1_000_000 + n
            place = rng.choice(desa)
            sector = rng.choice(list(SECTOR_LABELS))
            on_form = rng.random() < 0.85
            submitted = day()
            if on_form:
                # core.participants is a view over the submissions
                con.execute("INSERT INTO core.registrations VALUES (1, ?, ?, '6311********0000', "
                            "?, DATE '1990-01-01', 'L', ?, ?, NULL, ?)",
                            [n, key, submitted, place[:8], place, sector])
            if rng.random() < 0.7:   # a decision, sometimes before the submission (bad data)
                con.execute("INSERT INTO core.verifications VALUES (1, ?, ?, '6311********0000',"
                            " ?, NULL, ?)", [n, key, rng.choice(["verified", "verified",
                                                                 "rejected"]),
                                             day(submitted, 120)])
            if rng.random() < 0.6:   # a membership, sometimes before anything else
                enrolled = day(submitted, 200)
                paid = day(enrolled, 500).replace(day=1) if rng.random() < 0.9 else \
                    (enrolled - dt.timedelta(days=40)).replace(day=1)
                member_desa = place if on_form or rng.random() < 0.9 else None
                con.execute("INSERT INTO core.members VALUES (1, ?, ?, '6311********0000', 'K',"
                            " ?, ['JKK', 'JKM'], 'APBD', ?, ?)",
                            [n, key, enrolled, paid, member_desa])
                if rng.random() < 0.1:  # an older export's row for the same person
                    con.execute("INSERT INTO core.members VALUES (0, ?, ?, '6311********0000', "
                                "'K', ?, ['JKK'], 'APBD', ?, ?)",
                                [n, key, enrolled, dt.date(2000, 1, 1), member_desa])
        for code in desa:
            for year in rng.sample([2023, 2024, 2025], 2):
                con.execute("INSERT INTO core.denominators VALUES (1, ?, ?, NULL, ?, 'acak')",
                            [year, code, rng.randint(5, 60)])
            con.execute("INSERT INTO core.denominators VALUES (1, 2024, ?, 'pertanian', ?, "
                        "'acak')", [code, rng.randint(1, 30)])
        marts.rebuild(con)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_funnels_keep_the_invariants(db_path, seed):
    random_database(db_path, seed)
    check_invariants(db_path)
    # Members of the latest export win over an older export's row of the same person.
    assert fetch(db_path, "SELECT count(*) FROM marts.people "
                          "WHERE paid_through = DATE '2000-01-01'")[0][0] == 0
    # Medians read from the duration histogram equal medians over the people themselves.
    direct = fetch(db_path, """
        SELECT median(verification_date - registered_on) FILTER (
                   WHERE verification_date >= registered_on),
               median(enrolled_on - verification_date) FILTER (
                   WHERE enrolled_on >= verification_date)
        FROM marts.people
        WHERE channel = 'formulir' AND placed AND verification_status = 'verified'
          AND kecamatan_code = (SELECT min(kecamatan_code) FROM marts.people WHERE placed)""")[0]
    con = db.connect_readonly(db_path)
    try:
        kec = fetch(db_path, "SELECT min(kecamatan_code) FROM marts.people WHERE placed")[0][0]
        # The data's last month: every step of the data is completed by then.
        f = metrics.funnel(con, as_of=metrics.latest_month(con), kecamatan=kec)
    finally:
        con.close()
    assert (f["median_days_to_verify"], f["median_days_to_enrol"]) == tuple(map(float, direct))


def test_denominator_year_fallback(db_path):
    random_database(db_path, 4, people=20)
    rows = fetch(db_path, """
        SELECT d.year, d.desa_code, d.data_year, d.estimated_workers,
               (SELECT list(year ORDER BY year) FROM core.denominators AS c
                WHERE c.desa_code = d.desa_code AND c.sector IS NULL) AS years
        FROM marts.denominators AS d WHERE d.sector IS NULL""")
    assert rows
    for year, _, data_year, _, years in rows:
        earlier = [y for y in years if y <= year]
        # The latest earlier year, else the earliest later year.
        assert data_year == (max(earlier) if earlier else min(years))


def test_active_and_current_membership_are_defined_once():
    """Every query counting active people uses marts.is_active, and every reader of the current
    membership uses core.current_members: no query orders core.members or compares
    lapse_month / paid_through itself."""
    import re

    from etl.settings import REPO_ROOT

    files = [p for p in (REPO_ROOT / "etl" / "sql").rglob("*.sql")] + \
        list((REPO_ROOT / "dashboard" / "queries").glob("*.sql")) + \
        list((REPO_ROOT / "etl" / "demo").glob("*.py")) + [REPO_ROOT / "dashboard" / "public.py"]
    own_order = re.compile(r"FROM core\.members\s+QUALIFY", re.I)
    own_active = re.compile(r"lapse_month\s*>|paid_through\s*>=", re.I)
    for path in files:
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines()
                         if not line.strip().startswith(("--", "#")))
        if path.name != "schema.sql":
            assert not own_order.search(code), path
        if path.name != "05_data_span.sql":
            assert not own_active.search(code), path
    public = (REPO_ROOT / "dashboard" / "queries" / "public_funding.sql").read_text()
    assert "marts.is_active" in public
