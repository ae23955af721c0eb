"""The data officer's person-level tables on Kualitas data under AppTest, on the demo: one page of
rows at a time with "Baris X–Y dari N" and controls to move on, the same rows in the same order
as the whole table, each page shown in the access log with the rows it showed; the whole table
as CSV/XLSX only after "Siapkan unduhan", each download in the access log. The page size is
made small here so the demo's few dozen rows span several pages."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard import auth, quality
from etl import access_log, db
from tests.support.helpers import open_page

pytestmark = pytest.mark.slow

ADMIN = auth.User("admin", "Admin Data", "admin")
SIZE = 10


@pytest.fixture
def demo_env(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    monkeypatch.setattr(quality, "PAGE_ROWS", SIZE)
    con = db.connect_readonly(demo_db)
    try:
        whole = {"rows": quality.quarantine_rows(con), "flags": quality.flags(con),
                 # every full NIK or KK: of people, and as written in the rejected rows
                 "niks": [r[0] for r in con.execute(
                     "SELECT nik FROM private.persons UNION SELECT kk FROM private.persons "
                     "UNION SELECT DISTINCT v FROM (SELECT unnest(regexp_extract_all("
                     "original::VARCHAR, ':\"(\\d{16})\"', 1)) AS v FROM meta.quarantine)"
                     ).fetchall()]}
    finally:
        con.close()
    assert len(whole["rows"]) > 2 * SIZE and len(whole["flags"]) > 2 * SIZE
    return whole


def _table(at, column: str) -> pd.DataFrame:
    return next(e.value for e in at.dataframe if column in e.value.columns)


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def _same_rows(shown: pd.DataFrame, expected: pd.DataFrame) -> bool:
    return shown.reset_index(drop=True).equals(expected.reset_index(drop=True))


def test_quarantine_rows_are_shown_a_page_at_a_time(demo_env):
    whole = demo_env["rows"]
    n = len(whole)
    at = open_page("pages/kualitas.py", ADMIN)
    assert not at.exception, at.exception
    assert _same_rows(_table(at, "Isi baris (disamarkan)"), whole.iloc[:SIZE])
    assert f"Baris 1–{SIZE} dari {n}" in _captions(at)
    assert at.button(key="kualitas_rows_page_back").disabled
    at.button(key="kualitas_rows_page_ahead").click().run()
    assert not at.exception, at.exception
    assert _same_rows(_table(at, "Isi baris (disamarkan)"), whole.iloc[SIZE:2 * SIZE])
    assert f"Baris {SIZE + 1}–{2 * SIZE} dari {n}" in _captions(at)
    assert at.number_input(key="kualitas_rows_page").value == 2
    last = -(-n // SIZE)
    at.number_input(key="kualitas_rows_page").set_value(last).run()
    assert _same_rows(_table(at, "Isi baris (disamarkan)"), whole.iloc[(last - 1) * SIZE:])
    assert f"Baris {(last - 1) * SIZE + 1}–{n} dari {n}" in _captions(at)
    assert at.button(key="kualitas_rows_page_ahead").disabled
    at.button(key="kualitas_rows_page_back").click().run()
    assert f"Baris {(last - 2) * SIZE + 1}–{(last - 1) * SIZE} dari {n}" in _captions(at)


def test_choosing_a_load_starts_at_its_first_page_with_its_count(demo_env):
    whole = demo_env["rows"]
    at = open_page("pages/kualitas.py", ADMIN)
    at.button(key="kualitas_rows_page_ahead").click().run()
    load = int(whole["Muatan"].value_counts().idxmax())
    of_load = whole[whole["Muatan"] == load]
    at.selectbox(key="kualitas_muatan").set_value(load).run()
    assert not at.exception, at.exception
    assert at.number_input(key="kualitas_rows_page").value == 1
    assert _same_rows(_table(at, "Isi baris (disamarkan)"), of_load.iloc[:SIZE])
    assert f"Baris 1–{min(SIZE, len(of_load))} dari {len(of_load)}" in _captions(at)


def test_flagged_rows_are_shown_a_page_at_a_time(demo_env):
    whole = demo_env["flags"]
    n = len(whole)
    at = open_page("pages/kualitas.py", ADMIN)
    assert _same_rows(_table(at, "Kode tanda"), whole.iloc[:SIZE])
    at.button(key="kualitas_flags_page_ahead").click().run()
    assert _same_rows(_table(at, "Kode tanda"), whole.iloc[SIZE:2 * SIZE])
    assert f"Baris {SIZE + 1}–{2 * SIZE} dari {n}" in _captions(at)
    # The quarantine table kept its own page.
    assert at.number_input(key="kualitas_rows_page").value == 1


def test_each_page_viewed_is_in_the_access_log_with_the_rows_it_showed(demo_env):
    n = len(demo_env["rows"])
    at = open_page("pages/kualitas.py", ADMIN)
    views = access_log.read()
    assert set(views["Aksi"]) == {"lihat"} and set(views["Baris"]) == {SIZE}
    assert any(d == f"kualitas: baris dikarantina (Semua), baris 1–{SIZE} dari {n}"
               for d in views["Data"])
    at.button(key="kualitas_rows_page_ahead").click().run()
    log = access_log.read()
    assert len(log) == len(views) + 1
    newest = log.iloc[0]
    assert newest["Data"] == f"kualitas: baris dikarantina (Semua), baris {SIZE + 1}–{2 * SIZE} dari {n}"
    assert newest["Baris"] == SIZE and newest["Pengguna"] == "admin"
    at.run()                                        # the same page again: not a new view
    assert len(access_log.read()) == len(log)


def test_the_whole_tables_download_only_after_they_are_prepared(demo_env):
    at = open_page("pages/kualitas.py", ADMIN)
    keys = {b.key for b in at.get("download_button")}
    assert not {"kualitas_rows_csv", "kualitas_rows_xlsx", "kualitas_flags_csv"} & keys
    assert "kualitas_loads_csv" in keys              # small aggregate tables: at once
    assert not access_log.read()["Aksi"].eq("unduh").any()
    at.button(key="kualitas_rows_prepare").click().run()
    assert not at.exception, at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"kualitas_rows_csv", "kualitas_rows_xlsx"} <= keys
    assert "kualitas_flags_csv" not in keys          # each table is prepared on its own
    assert not any(b.key == "kualitas_rows_prepare" for b in at.button)
    # The file is the whole table (every page), masked as shown.
    held = at.session_state["cakupan_prepared_files"]["kualitas_rows"]
    whole = demo_env["rows"]
    from_file = pd.read_csv(io.BytesIO(held["csv"]), dtype=str, keep_default_na=False)
    assert len(from_file) == len(whole)
    assert list(from_file["Isi baris (disamarkan)"]) == list(whole["Isi baris (disamarkan)"])
    text = held["csv"].decode("utf-8")
    assert not any(nik in text for nik in demo_env["niks"] if nik)
    assert held["xlsx"][:2] == b"PK"
    # Moving to another page keeps the files; a download is logged with the file's rows.
    at.button(key="kualitas_rows_page_ahead").click().run()
    download = next(b for b in at.get("download_button") if b.key == "kualitas_rows_xlsx")
    download.click().run()
    entry = access_log.read().iloc[0]
    assert (entry["Aksi"], entry["Data"], entry["Baris"]) == (
        "unduh", "karantina_tersamar.xlsx", len(whole))
    # Another load is another file: asked for again.
    at.selectbox(key="kualitas_muatan").set_value(int(whole["Muatan"].iloc[0])).run()
    assert not {"kualitas_rows_csv"} & {b.key for b in at.get("download_button")}
    assert any(b.key == "kualitas_rows_prepare" for b in at.button)


def test_the_flagged_rows_download_after_they_are_prepared(demo_env):
    at = open_page("pages/kualitas.py", ADMIN)
    at.button(key="kualitas_flags_prepare").click().run()
    assert not at.exception, at.exception
    held = at.session_state["cakupan_prepared_files"]["kualitas_flags"]
    from_file = pd.read_csv(io.BytesIO(held["csv"]), dtype=str, keep_default_na=False)
    whole = demo_env["flags"]
    assert list(from_file["NIK (disamarkan)"]) == list(whole["NIK (disamarkan)"])
    download = next(b for b in at.get("download_button") if b.key == "kualitas_flags_csv")
    download.click().run()
    entry = access_log.read().iloc[0]
    assert (entry["Aksi"], entry["Data"], entry["Baris"]) == (
        "unduh", "tanda_verifikator.csv", len(whole))
