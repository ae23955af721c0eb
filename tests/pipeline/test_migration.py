"""A database made by an earlier version opens and keeps recognising the same people."""

from __future__ import annotations

from etl import db, identity
from etl.loaders import load_file
from tests.support.helpers import nik, row, write_csv

KEYED_TABLES = ["core.registrations", "private.contacts", "meta.flags"]


def _to_hex_keys(db_path) -> None:
    """Turn a current database into the earlier shape: person_key as the 64-character hex
    digest of sha256(k || nik), whose first 32 characters are today's 128-bit key."""
    with db.write_session(db_path) as con:
        for table in KEYED_TABLES:
            con.execute(f"ALTER TABLE {table} ALTER COLUMN person_key TYPE VARCHAR USING "
                        "lower(lpad(hex(person_key), 32, '0')) || repeat('a', 32)")


def test_hex_keys_of_an_earlier_version_become_the_same_people(tmp_path, db_path):
    old_form = write_csv(tmp_path / "form1.csv", [
        row(),
        row(name="Siti Aisyah", nik_=nik(serial=2, female=True), sex="Perempuan",
            desa="Lok Batu"),
    ])
    load_file("registrations", old_form, db_path=db_path)
    _to_hex_keys(db_path)
    with db.write_session(db_path) as con:  # opening for writing migrates
        types = con.execute("SELECT DISTINCT data_type FROM duckdb_columns() "
                            "WHERE column_name = 'person_key' AND NOT internal").fetchall()
        keys = sorted(r[0] for r in con.execute("SELECT person_key FROM core.registrations")
                      .fetchall())
    assert types == [("UHUGEINT",)]
    assert keys == sorted(identity.person_key(n) for n in (nik(), nik(serial=2, female=True)))

    # A later export with one of them again: known, not a new person.
    new_form = write_csv(tmp_path / "form2.csv", [
        row(ts="3/1/2025 09:00:00"),
        row(name="Baru", nik_=nik(serial=3), ts="3/1/2025 09:05:00"),
    ])
    summary = load_file("registrations", new_form, db_path=db_path)
    assert summary.duplicates == 1
    con = db.connect_readonly(db_path)
    try:
        assert db.scalar(con, "SELECT count(*) FROM core.participants") == 3
        assert db.scalar(con, "SELECT count(*) FROM private.persons") == 3
    finally:
        con.close()
