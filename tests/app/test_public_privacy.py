"""The public page leaks no personal data and publishes no small cell.

Builds the demo, renders the public page logged out (through app.py, as a visitor arrives) and
its downloads (the exact bytes behind the page's download buttons), and searches all of it for
every NIK, KK, name and phone number in private.persons and in the quarantined rows' originals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data as data_access
from dashboard import disclosure, public, public_files
from etl import db
from tests.support.helpers import REPO
from tests.support.privacy import COUNT_MEASURES, personal_strings, variants


@pytest.fixture(scope="module")
def small_demo_db(tmp_path_factory):
    """A small demo (many desa with few people, so suppression has work to do)."""
    from etl.cli import build_demo

    path = tmp_path_factory.mktemp("demo") / "cakupan.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CONFIG_DIR", str(tmp_path_factory.mktemp("democfg")))
        mp.setenv("CAKUPAN_SECRET_KEY", "test-key-not-secret")
        build_demo(db_path=path, kabupaten_code="63.11", scale=0.02,
                   files_dir=tmp_path_factory.mktemp("demofiles"))
    return path


@pytest.fixture
def live_demo(small_demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(small_demo_db))
    return small_demo_db


def test_personal_strings_are_found_at_all(small_demo_db):
    strings = personal_strings(small_demo_db)
    assert sum(s.isdigit() and len(s) == 16 for s in strings) > 500
    assert sum(not s.isdigit() for s in strings) > 500


def _protos(node):
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield proto
    for child in getattr(node, "children", {}).values():
        yield from _protos(child)


def _haystacks(at: AppTest, files: dict[str, bytes]) -> list[tuple[str, bytes]]:
    out = [(f"element {type(p).__name__}", p.SerializeToString()) for p in _protos(at._tree)]
    for button in at.get("download_button"):
        file_id = Path(button.proto.url).stem
        out.append((f"download {button.proto.label}", files[file_id]))
    return out


def _unzipped(blob: bytes) -> bytes:
    import io
    import zipfile

    if not blob.startswith(b"PK"):
        return blob
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return b"\n".join(z.read(n) for n in z.namelist())


def test_public_page_and_downloads_hold_no_personal_data(live_demo, captured_downloads):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert "cakupan_user" not in at.session_state, "nobody is signed in"
    titles = [t.value for t in at.title]
    assert any("Transparansi" in t for t in titles), "a visitor lands on the public page"
    haystacks = [(name, _unzipped(blob)) for name, blob in _haystacks(at, captured_downloads)]
    labels = {name for name, _ in haystacks}
    assert {"download Unduh CSV", "download Unduh XLSX (dengan kamus data)",
            "download Unduh kamus data (CSV)", "download Unduh paket data (ZIP, Frictionless)"
            } <= labels
    assert all(blob for name, blob in haystacks if name.startswith("download"))
    # The page really shows the figures (so an empty page cannot pass).
    data = data_access.public_figures()
    total = data.headline["peserta_aktif"]
    assert any(f"{total:,}".replace(",", ".").encode() in blob for _, blob in haystacks)
    # Positive control: text inside the tables (arrow bytes) and the zipped XLSX is searchable.
    last_desa = data.tables["desa"].values["nama"].iloc[-1]
    assert any(last_desa.encode() in blob for name, blob in haystacks
               if name.startswith("element"))
    assert any(last_desa.encode() in blob for name, blob in haystacks if "XLSX" in name)

    strings = personal_strings(live_demo)
    con = db.connect_readonly(live_demo)
    try:
        keys = [r[0] for r in con.execute("SELECT person_key FROM marts.people").fetchall()]
    finally:
        con.close()
    leaks = []
    for needle in strings:
        for form in variants(needle):
            for name, blob in haystacks:
                if form in blob:
                    leaks.append((needle, name))
    for key in keys[:2000]:
        for name, blob in haystacks:
            if str(key).encode() in blob or f"{key:032x}".encode() in blob:
                leaks.append(("person_key", name))
    assert not leaks, leaks[:10]


def test_published_counts_are_zero_or_at_least_the_threshold(live_demo):
    data = data_access.public_figures()
    long = public_files.long_table(data)
    counts = long[long["ukuran"].isin(COUNT_MEASURES) & (long["status"] == "")]
    values = pd.to_numeric(counts["nilai"])
    assert ((values == 0) | (values >= data.threshold)).all()
    hidden = long[long["status"] == "disamarkan"]
    assert len(hidden) > 0, "the small demo must exercise suppression"
    assert hidden["nilai"].isna().all()
    # A desa whose count is hidden has its coverage hidden too (it would give the count back).
    desa_hidden = set(hidden.loc[(hidden["tabel"] == "desa")
                                 & (hidden["ukuran"] == "peserta_aktif"), "kode"])
    cov = long[(long["tabel"] == "desa") & (long["ukuran"] == "cakupan_persen")
               & long["kode"].isin(desa_hidden)]
    assert (cov["status"] == "disamarkan").all()


def test_no_desa_count_can_be_recovered_from_kecamatan_totals(live_demo):
    data = data_access.public_figures()
    desa = data.tables["desa"]
    kec = data.tables["kecamatan"]
    hidden_kec = dict(zip(kec.values["kode"], kec.hidden["peserta_aktif"]))
    for code, group in desa.values.groupby("kecamatan_kode"):
        n_hidden = int(desa.hidden.loc[group.index, "peserta_aktif"].sum())
        # One hidden desa under a published kecamatan total would be a subtraction away.
        assert n_hidden != 1 or hidden_kec[code], code


def test_downloads_carry_the_same_suppressed_figures(live_demo):
    import io

    data = data_access.public_figures()
    csv = pd.read_csv(io.BytesIO(public_files.csv_bytes(data)), dtype=str, keep_default_na=False)
    xlsx = pd.read_excel(io.BytesIO(public_files.xlsx_bytes(data)), sheet_name=None, dtype=str)
    assert set(xlsx) == {"data", "kamus_data"}
    sheet = xlsx["data"].fillna("")
    assert len(sheet) == len(csv)
    assert list(sheet["nilai"]) == list(csv["nilai"])
    assert (csv.loc[csv["status"] == "disamarkan", "nilai"] == "").all()
    dictionary = pd.read_csv(io.BytesIO(public_files.dictionary_csv_bytes(data)))
    described = set(dictionary["nama"])
    assert set(csv.columns) <= described
    assert set(csv["ukuran"]) <= described
    assert not any(v.endswith(".0") for v in csv["nilai"])


def test_public_path_never_reads_personal_tables():
    sources = [REPO / "dashboard" / "public.py", REPO / "dashboard" / "disclosure.py",
               REPO / "pages" / "publik.py", *(REPO / "dashboard" / "queries").glob("public_*.sql")]
    for path in sources:
        text = path.read_text().lower()
        assert not re.search(r"(from|join)\s+(private\.|meta\.quarantine)", text), path


def test_suppression_threshold_setting_changes_the_page(live_demo, monkeypatch):
    monkeypatch.setenv("CAKUPAN_SMALL_CELL_THRESHOLD", "20")
    data = data_access.public_figures()
    long = public_files.long_table(data)
    counts = long[long["ukuran"].isin(COUNT_MEASURES) & (long["status"] == "")]
    values = pd.to_numeric(counts["nilai"])
    assert ((values == 0) | (values >= 20)).all()
    assert data.threshold == 20 and disclosure.threshold() == 20
