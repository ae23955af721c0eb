"""Rebuilding the marts: every ``etl/sql/marts/NN_name.sql`` in file-name order, after each load.

Marts are tables (not views) so the dashboard reads small precomputed summaries; they are rebuilt
inside the load's transaction, so readers only ever see marts that match the core tables.

First, marts.occupations maps every distinct occupation text of the form to its sector with the
CURRENT keywords (etl.sectors: the defaults plus the office's keyword file), so keywords an office
adds apply to every registration at the next load, and the texts still unmapped can be listed.
Texts are mapped once per distinct text; when the keywords have not changed since the last
rebuild, only texts not seen before are mapped.
"""

from __future__ import annotations

import duckdb

from . import queries


def mart_files() -> list[str]:
    return sorted(f"marts/{p.name}" for p in (queries.SQL_DIR / "marts").glob("*.sql"))


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    map_occupations(con)
    for relative in mart_files():
        queries.run_script(con, relative)


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
