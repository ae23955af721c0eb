"""The Kualitas data queries that were narrowed for large kabupaten (issue 16) still give what
their plain definition over core.participants gives, on a demo with resubmissions (people who
moved or corrected their occupation) and flags on rows that were not stored; the quarantine
list read page by page gives every row of its unpaged definition once, in the same order."""

from __future__ import annotations

from etl import db, queries
from tests.support.helpers import nik, row, run_cli, write_csv

# The plain definitions, as they read before the queries computed the newest submission only for
# the people they need: every participant's newest submission (core.participants).
PLAIN_FLAGS = """
SELECT f.load_id, f.row_number, f.flag_code, f.detail,
       coalesce(r.nik_masked, p.nik_masked) AS nik_masked,
       coalesce(r.kecamatan_code, p.kecamatan_code) AS kecamatan_code, k.name AS kecamatan_nama,
       coalesce(r.desa_code, p.desa_code) AS desa_code, d.name AS desa_nama
FROM meta.flags AS f
LEFT JOIN core.registrations AS r
       ON r.load_id = f.load_id AND r.row_number = f.row_number AND r.person_key = f.person_key
LEFT JOIN core.participants AS p ON p.person_key = f.person_key
LEFT JOIN core.regions AS k ON k.code = coalesce(r.kecamatan_code, p.kecamatan_code)
LEFT JOIN core.regions AS d ON d.code = coalesce(r.desa_code, p.desa_code)
ORDER BY f.load_id DESC, f.flag_code, f.row_number
"""
PLAIN_UNMAPPED = """
SELECT o.occupation_text, count(*)::INTEGER AS people
FROM core.participants AS p
JOIN marts.occupations AS o ON o.occupation_text = p.occupation_text
WHERE o.keyword IS NULL
GROUP BY ALL
ORDER BY people DESC, o.occupation_text
"""

# The quarantine list in one unpaged query, as the page listed it before it was read a page at a
# time: each distinct rejected row once, rows still in the newest file of their kind first (here
# with the newest load of each kind joined, not a subquery per row).
PLAIN_QUARANTINE = """
WITH newest AS (SELECT kind, max(load_id) AS load_id FROM meta.loads GROUP BY kind)
SELECT q.load_id, q.kind, q.source_file, q.row_number, q.reason_code, q.reason_detail,
       q.load_id = n.load_id AS in_latest_file, q.kecamatan_code, k.name AS kecamatan_nama,
       q.desa_code, d.name AS desa_nama, q.original::VARCHAR AS original
FROM meta.quarantine_latest AS q
JOIN newest AS n ON n.kind = q.kind
LEFT JOIN core.regions AS k ON k.code = q.kecamatan_code
LEFT JOIN core.regions AS d ON d.code = q.desa_code
ORDER BY in_latest_file DESC, q.load_id DESC, q.row_number
"""


def _frames_equal(con, name: str, plain: str) -> None:
    narrowed = queries.run(con, name)
    reference = con.execute(plain).df()
    assert len(narrowed) > 0
    assert narrowed.astype(str).values.tolist() == reference.astype(str).values.tolist()


def test_flags_query_equals_its_plain_definition(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        _frames_equal(con, "quality_flags", PLAIN_FLAGS)
    finally:
        con.close()


def test_unmapped_occupations_query_equals_its_plain_definition(demo_db, tmp_path):
    con = db.connect_readonly(demo_db)
    try:
        # People whose older submission had an unmapped text but whose newest one is mapped must
        # not be counted; the demo has resubmissions with corrected occupations.
        assert db.scalar(con, "SELECT count(*) FROM core.participants WHERE submissions > 1") > 0
        _frames_equal(con, "quality_unmapped_occupations", PLAIN_UNMAPPED)
    finally:
        con.close()


def test_only_the_newest_occupation_counts_as_unmapped(db_path, tmp_path):
    # Siti wrote a text no keyword knows, then corrected it: she is not listed. Rahmat kept his.
    siti, rahmat = nik(serial=1, female=True), nik(serial=2)
    first = [row(ts="1/15/2024 10:00:00", nik_=siti, birth="7/7/1990", sex="Perempuan",
                 job="Qwertyuiop"),
             row(ts="1/16/2024 10:00:00", nik_=rahmat, job="Qwertyuiop")]
    corrected = [*first, row(ts="2/20/2024 09:00:00", nik_=siti, birth="7/7/1990",
                             sex="Perempuan", job="Petani karet")]
    for name, rows in (("week1.csv", first), ("week2.csv", corrected)):
        done = run_cli("--db", str(db_path), "load", "registrations",
                       str(write_csv(tmp_path / name, rows)))
        assert done.returncode == 0, done.stderr
    con = db.connect_readonly(db_path)
    try:
        listed = queries.run(con, "quality_unmapped_occupations")
        assert listed["people"].tolist() == [1]   # Rahmat only
        _frames_equal(con, "quality_unmapped_occupations", PLAIN_UNMAPPED)
    finally:
        con.close()


def test_a_flag_on_a_row_not_stored_shows_the_newest_submission(db_path, tmp_path):
    # A flag whose row is not in core.registrations (a resubmission that stored nothing new)
    # takes the NIK and place of the person's newest submission, as the plain definition does.
    import duckdb

    rahmat = nik(serial=2)
    rows = [row(ts="1/16/2024 10:00:00", nik_=rahmat, job="Petani karet"),
            row(ts="3/16/2024 10:00:00", nik_=rahmat, job="Petani karet")]
    done = run_cli("--db", str(db_path), "load", "registrations",
                   str(write_csv(tmp_path / "week1.csv", rows)))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db_path))
    try:
        con.execute("INSERT INTO meta.flags SELECT load_id, 999, person_key, 'age_out_of_range', "
                    "NULL FROM core.registrations LIMIT 1")
    finally:
        con.close()
    con = db.connect_readonly(db_path)
    try:
        listed = queries.run(con, "quality_flags")
        assert 999 in listed["row_number"].tolist()
        assert listed["nik_masked"].notna().all()
        _frames_equal(con, "quality_flags", PLAIN_FLAGS)
    finally:
        con.close()


def _pages(con, load_id, size: int) -> list:
    pages, offset = [], 0
    while True:
        page = queries.run(con, "quality_quarantine_rows",
                           {"load_id": load_id, "offset": offset, "limit": size})
        if page.empty:
            return pages
        assert len(page) <= size
        pages.append(page)
        offset += size


def test_the_quarantine_read_page_by_page_is_its_unpaged_definition(tmp_path, db_path):
    # Two weekly cumulative exports: the second repeats some rejected rows (shown once, at load
    # 2), drops one that was fixed (still listed, at load 1, after the others) and adds new ones.
    import pandas as pd

    from dashboard import quality

    bad = [row(nik_=f"63110407079{i:05d}"[:15], name=f"Rusak {i}") for i in range(9)]
    good = [row(nik_=nik(serial=i)) for i in range(1, 31)]
    weeks = [good + bad[:6], good + bad[1:9]]
    for i, rows in enumerate(weeks, start=1):
        done = run_cli("--db", str(db_path), "load", "registrations",
                       str(write_csv(tmp_path / f"week{i}.csv", rows)))
        assert done.returncode == 0, done.stderr
    con = db.connect_readonly(db_path)
    try:
        plain = con.execute(PLAIN_QUARANTINE).df()
        assert len(plain) == 9 and set(plain["load_id"]) == {1, 2}
        assert plain["in_latest_file"].tolist() == [True] * 8 + [False]
        for load_id in (None, 1, 2):
            expected = plain if load_id is None else plain[plain["load_id"] == load_id]
            for size in (1, 4, 100):
                paged = pd.concat(_pages(con, load_id, size), ignore_index=True)
                assert (paged.astype(str).values.tolist()
                        == expected.astype(str).values.tolist()), (load_id, size)
            everything = queries.run(con, "quality_quarantine_rows",
                                     {"load_id": load_id, "offset": 0, "limit": None})
            assert everything.astype(str).values.tolist() == expected.astype(str).values.tolist()
        # The page the dashboard masks is the same slice of the masked whole.
        whole = quality.quarantine_rows(con)
        assert quality.quarantine_rows(con, None, 4, 4).equals(
            whole.iloc[4:8].reset_index(drop=True))
        counts = quality.rows_per_load(quality.quarantine_counts(con))
        assert counts == {"Semua": 9, 2: 8, 1: 1}
    finally:
        con.close()


def test_the_demo_quarantine_read_page_by_page_is_its_unpaged_definition(demo_db):
    import pandas as pd

    con = db.connect_readonly(demo_db)
    try:
        plain = con.execute(PLAIN_QUARANTINE).df()
        assert len(plain) > 20 and plain["load_id"].nunique() > 1
        paged = pd.concat(_pages(con, None, 5), ignore_index=True)
        assert paged.astype(str).values.tolist() == plain.astype(str).values.tolist()
    finally:
        con.close()
