"""Rebuilding the marts: every ``etl/sql/marts/NN_name.sql`` in file-name order, after each load.

Marts are tables (not views) so the dashboard reads small precomputed summaries; they are rebuilt
inside the load's transaction, so readers only ever see marts that match the core tables.

First, marts.occupations maps every distinct occupation text of the form to its sector with the
CURRENT keywords (etl.sectors: the defaults plus the office's keyword file), so keywords an office
adds apply to every registration at the next load, and the texts still unmapped can be listed.
Texts are mapped once per distinct text; when the keywords have not changed since the last
rebuild, only texts not seen before are mapped.

A registrations load that only added submissions (etl/loaders/registrations_incremental.py)
updates the marts for the people it touched instead (``update``): their marts.people rows are
deleted and recomputed, and the monthly and duration marts, sums of per-person rows
(marts.monthly_events, marts.durations), take away the old rows and add the new ones; the
small marts (data span, denominators, the monthly grid) are recomputed whole. The result is the
rebuild's, row for row (tests/pipeline/test_incremental.py). Whenever that cannot be assured
(keywords, gazetteer or mart SQL changed since the marts were built, marts built by an older
version, or most people touched) the update is a rebuild and says why.
"""

from __future__ import annotations

import duckdb

from . import queries


def mart_files() -> list[str]:
    return sorted(f"marts/{p.name}" for p in (queries.SQL_DIR / "marts").glob("*.sql"))


# Above this share of people touched, a rebuild costs less than deleting and reinserting.
UPDATE_MAX_SHARE = 0.25
_PEOPLE = "marts/10_people.sql"


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    map_occupations(con)
    _scope(con, None)
    for relative in mart_files():
        queries.run_script(con, relative)
        if relative == _PEOPLE:
            con.execute("CREATE OR REPLACE TABLE marts.people AS SELECT * FROM people_rows")
            con.execute("CREATE OR REPLACE TEMP VIEW mart_source AS "
                        "SELECT *, 1 AS sign FROM marts.people")
    _record_build(con)


def update(con: duckdb.DuckDBPyConnection, touched: str) -> dict:
    """Bring the marts up to date after a load that changed only the people listed in the temp
    table `touched` (person_key), or rebuild them when that cannot be assured. Returns what ran:
    {"marts": "incremental" | "full", "reason": ..., "people": n}."""
    reason = _why_not_incremental(con, touched)
    if reason:
        rebuild(con)
        return {"marts": "full", "reason": reason}
    map_occupations(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE mart_scope AS SELECT DISTINCT person_key "
                f"FROM {touched}")
    _scope(con, "mart_scope")
    for relative in mart_files():
        queries.run_script(con, relative)
        if relative == _PEOPLE:
            con.execute("CREATE OR REPLACE TEMP TABLE people_old AS "
                        "SELECT * FROM marts.people SEMI JOIN mart_scope USING (person_key)")
            con.execute("CREATE OR REPLACE TEMP TABLE people_fresh AS SELECT * FROM people_rows")
            con.execute("DELETE FROM marts.people WHERE person_key IN "
                        "(SELECT person_key FROM mart_scope)")
            con.execute("INSERT INTO marts.people SELECT * FROM people_fresh")
            con.execute("CREATE OR REPLACE TEMP VIEW mart_source AS "
                        "SELECT *, -1 AS sign FROM people_old "
                        "UNION ALL SELECT *, 1 AS sign FROM people_fresh")
            con.execute("CREATE OR REPLACE TEMP TABLE monthly_events_prior AS "
                        "SELECT * FROM marts.monthly_events")
            con.execute("CREATE OR REPLACE TEMP TABLE durations_prior AS "
                        "SELECT * FROM marts.durations")
    people = queries.scalar(con, "SELECT count(*) FROM mart_scope")
    _record_build(con)
    return {"marts": "incremental", "people": people}


def _scope(con: duckdb.DuckDBPyConnection, scope: str | None) -> None:
    """The inputs of marts/10_people.sql: everyone, or the people of the temp table `scope`."""
    only = f" SEMI JOIN {scope} USING (person_key)" if scope else ""
    con.execute("CREATE OR REPLACE TEMP VIEW scope_registrations AS SELECT * FROM "
                f"core.registrations{only}")
    con.execute("CREATE OR REPLACE TEMP VIEW scope_participants AS SELECT * FROM "
                "core.participants_of('scope_registrations')")
    con.execute(f"CREATE OR REPLACE TEMP VIEW scope_members AS SELECT * FROM "
                f"core.current_members{only}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW scope_verifications AS SELECT * FROM "
                f"core.verifications{only}")
    if scope is None:
        # A rebuild sums from nothing (the events of marts/20_monthly.sql, 40_durations.sql).
        con.execute("CREATE OR REPLACE TEMP TABLE monthly_events_prior (kecamatan_code VARCHAR, "
                    "desa_code VARCHAR, sector VARCHAR, month DATE, registered INTEGER, "
                    "verified INTEGER, rejected INTEGER, enrolled INTEGER, lapse INTEGER, "
                    "other_channel INTEGER, other_lapse INTEGER)")
        con.execute("CREATE OR REPLACE TEMP TABLE durations_prior (kecamatan_code VARCHAR, "
                    "desa_code VARCHAR, sector VARCHAR, month DATE, step VARCHAR, "
                    "days INTEGER, people INTEGER)")


def _build_state(con: duckdb.DuckDBPyConnection) -> str:
    """What the marts' rows depend on besides the core tables: the gazetteer rows (placed,
    kecamatan), the sector keywords and the mart SQL itself."""
    import hashlib

    from . import sectors

    regions = con.execute("SELECT string_agg(concat_ws('|', code, name, level, parent_code, kind), "
                          "';' ORDER BY code, level) FROM core.regions").fetchall()[0][0]
    sql = "".join(queries.sql_text(f) for f in mart_files())
    text = "\n".join([str(regions), sectors.version(sectors.keywords()), sql])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _record_build(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TABLE marts.build AS SELECT ?::VARCHAR AS state",
                [_build_state(con)])


def _why_not_incremental(con: duckdb.DuckDBPyConnection, touched: str) -> str | None:
    n, people = con.execute(f"SELECT (SELECT count(DISTINCT person_key) FROM {touched}), "
                            "(SELECT count(*) FROM marts.people)").fetchall()[0]
    if n > UPDATE_MAX_SHARE * max(people, 1):
        return f"{n} dari {people} orang tersentuh: membangun ulang lebih cepat"
    try:
        built = queries.scalar(con, "SELECT any_value(state) FROM marts.build")
    except duckdb.CatalogException:
        return "mart belum pernah dibangun versi ini"
    if built != _build_state(con):
        return "kata kunci sektor, gazetir atau SQL mart berubah sejak mart dibangun"
    return None


def map_occupations(con: duckdb.DuckDBPyConnection) -> None:
    """marts.occupations: occupation_text, sector, keyword (NULL: unmapped), keywords_version."""
    import pandas as pd

    from . import sectors

    kw = sectors.keywords()
    version = sectors.version(kw)
    known = None
    try:
        old = con.execute("SELECT any_value(keywords_version) FROM marts.occupations").fetchone()
        if old and old[0] == version:
            known = "marts.occupations"
    except duckdb.CatalogException:
        pass
    new_texts = con.execute(
        "SELECT DISTINCT occupation_text FROM core.registrations WHERE occupation_text IS NOT NULL"
        + (f" EXCEPT SELECT occupation_text FROM {known}" if known else "")).fetchall()
    matches = [(t, sectors.match(t, kw)) for (t,) in new_texts]
    frame = pd.DataFrame({"occupation_text": pd.array([t for t, _ in matches], dtype="str"),
                          "sector": pd.array([m.sector for _, m in matches], dtype="str"),
                          "keyword": pd.array([m.keyword for _, m in matches], dtype="str"),
                          "keywords_version": pd.array([version] * len(matches), dtype="str")})
    if known:
        queries.put_frame(con, "occ_new", frame)
        con.execute("INSERT INTO marts.occupations SELECT * FROM occ_new")
    else:
        queries.put_frame(con, "marts.occupations", frame, temp=False)
