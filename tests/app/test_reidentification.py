"""A masked NIK must not be the NIK: on the demo, for every role, no row the dashboard shows narrows
a masked NIK to fewer than 1,000 candidates; person-level rows are the data officer's alone, and
each view is in the access log.

The attacker's count (kept conservative): an NIK is 4 shown digits (province + kabupaten), 2
kecamatan digits, 6 birth-date digits (DDMMYY, day + 40 for women) and a 4-digit serial. Serials
are handed out from 0001 per region and birth date, so a hidden serial is counted as one
candidate. What the rest of the row shows narrows the other digits: a kecamatan name fixes the
kecamatan, a birth date (either day/month order) fixes the date, an age the year, a sex the
+40. Candidates = kecamatan options x birth-date options x sex options.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import auth
from etl import access_log, gazetteer
from tests.support.helpers import open_page

pytestmark = pytest.mark.slow

MASKED_NIK = re.compile(r"\b(\d{4})\*{8}(\d{4})\b")
DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
AGE = re.compile(r"\b(usia|umur|age)\D{0,3}(\d{1,3})\b", re.I)
SEX = re.compile(r"laki|perempuan|wanita|pria|\b[LP]\b", re.I)
ADULT_DAYS = 51 * 365          # ages 15-65, the enrolment range


def _kecamatan_names(kab: str = "63.11") -> set[str]:
    return {k.name.upper() for k in gazetteer.kecamatan_list(kab)}


def candidates(cells: list[str], kecamatan_names: set[str]) -> int:
    text = " · ".join(cells)
    upper = text.upper()
    kec = 1 if any(re.search(rf"\b{re.escape(n)}\b", upper) for n in kecamatan_names) \
        else len(kecamatan_names)
    births = [m for m in DATE.finditer(text)
              if 1900 <= int(m.group(3) or m.group(4)) <= 2015]  # not the submission time
    if births:
        days = 2                                 # day/month order at worst ambiguous
    elif AGE.search(text):
        days = 366
    else:
        days = ADULT_DAYS
    sex = 1 if SEX.search(text) else 2
    return kec * days * sex


def test_the_counter_finds_what_the_old_page_gave_away():
    names = _kecamatan_names()
    shown_before = ["6311********8396", "TANGGAL LAHIR: 11/03/1975", "JENIS KELAMIN: Perempuan",
                    "KECAMATAN: BATU MANDI"]
    assert candidates(shown_before, names) == 2
    assert candidates(["6311********8396", "usia 69", "LAMPIHONG"], names) < 1000
    assert candidates(["6311********8396", "Timestamp: 6/5/2023 20:00:19", "BATU MANDI"],
                      names) >= 1000


def _rows_with_masked_nik(at) -> list[list[str]]:
    rows = []
    for element in at.dataframe:
        frame: pd.DataFrame = element.value
        for record in frame.itertuples(index=False):
            cells = [str(c) for c in record]
            if any(MASKED_NIK.search(c) for c in cells):
                rows.append(cells)
    return rows


@pytest.fixture
def demo_env(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    return demo_db


def test_no_role_sees_an_nik_narrowed_below_1000_candidates(demo_env):
    names = _kecamatan_names()
    narrowed, shown = {}, {}
    for role in ("rm", "pimpinan", "admin"):
        user = auth.User(role, role.title(), role, "RM-01" if role == "rm" else None)
        at = open_page("pages/kualitas.py", user)
        assert not at.exception, at.exception
        rows = _rows_with_masked_nik(at)
        shown[role] = len(rows)
        narrowed[role] = sum(candidates(r, names) < 1000 for r in rows)
    assert narrowed == {"rm": 0, "pimpinan": 0, "admin": 0}
    # Rows at all only for the data officer (and there are some: the test is not vacuous).
    assert shown["rm"] == shown["pimpinan"] == 0
    assert shown["admin"] > 50


def test_admin_rows_hide_quasi_identifiers_and_unknown_columns(demo_env):
    at = open_page("pages/kualitas.py", auth.User("admin", "Admin", "admin"))
    rows = next(e.value for e in at.dataframe if "Isi baris (disamarkan)" in e.value.columns)
    text = " ".join(rows["Isi baris (disamarkan)"])
    for header in ("TANGGAL LAHIR", "JENIS KELAMIN", "NAMA LENGKAP", "NOMOR HP"):
        assert header not in text
    assert "TANGGAL LAHIR" in " ".join(rows["Kolom disembunyikan"])
    flags = next(e.value for e in at.dataframe if "Kode tanda" in e.value.columns)
    leaky = flags[flags["Kode tanda"].isin(["age_out_of_range", "nik_birth_date_mismatch",
                                            "nik_sex_mismatch"])]
    assert (leaky["Keterangan"] == "").all()


def test_views_of_person_rows_are_in_the_access_log(demo_env):
    at = open_page("pages/kualitas.py", auth.User("pimpinan", "Pimpinan", "pimpinan"))
    assert access_log.read().empty                  # counts only: nothing to account for
    at = open_page("pages/kualitas.py", auth.User("admin", "Admin Data", "admin"))
    log = access_log.read()
    assert set(log["Pengguna"]) == {"admin"} and set(log["Aksi"]) == {"lihat"}
    shown = {e.value.shape[0] for e in at.dataframe if "Isi baris (disamarkan)" in e.value.columns}
    assert set(log["Baris"]) & shown
    at.run()                                         # a rerun of the same view: not a new entry
    assert len(access_log.read()) == len(log)
    box = at.selectbox(key="kualitas_muatan")
    box.set_value(int(box.options[1].split()[-1])).run()   # one load instead of all
    assert len(access_log.read()) == len(log) + 1
    # Downloads are recorded by the buttons' callback.
    from dashboard import quality

    quality.download_recorder(auth.User("admin", "Admin Data", "admin"), 7)("karantina.csv")
    newest = access_log.read().iloc[0]
    assert (newest["Aksi"], newest["Data"], newest["Baris"]) == ("unduh", "karantina.csv", 7)
    assert access_log.log_path().stat().st_mode & 0o777 == 0o600
    # The admin reads the log on the page.
    assert any("Aksi" in e.value.columns for e in at.dataframe)


def test_full_quarantine_export_from_the_cli_is_in_the_access_log(demo_env):
    from tests.support.helpers import run_cli

    out = run_cli("--db", str(demo_env), "export", "quarantine", "--load", "1")
    assert out.returncode == 0, out.stderr
    entry = access_log.read().iloc[0]
    assert entry["Pengguna"].startswith("cli:") and entry["Aksi"] == "ekspor"
    assert entry["Baris"] == len(out.stdout.splitlines()) - 1
