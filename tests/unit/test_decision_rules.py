"""The planning loop's rules that need no database: the words a spreadsheet or a form uses for an
action and an owner, the form's draft, and the pre-fills handed over from Prioritas, Sektor and
the budget simulator (docs/rules.md §5 "decisions of planning meetings")."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import meetings
from etl import decisions


@pytest.mark.parametrize("text, code", [
    ("Sosialisasi", "sosialisasi"), ("penyuluhan di balai desa", "sosialisasi"),
    ("Pendaftaran keliling / jemput bola", "jemput_bola"), ("JEMPUT BOLA", "jemput_bola"),
    ("verifikasi massal", "verifikasi_massal"), ("Tambahan anggaran APBD", "tambahan_anggaran"),
    ("lainnya", "lainnya"), ("terbang", None), ("", None), (None, None)])
def test_action_words(text, code):
    assert decisions.action_code(text) == code


def test_owner_words():
    rms = {"RM-01"}
    assert decisions.owner_of("rm-01", None, rms) == ("rm", "RM-01")
    assert decisions.owner_of("RM 07", None, rms) == ("rm", "RM-07")
    assert decisions.owner_of("Dinas Tenaga Kerja", None, rms) == ("dinas", "Dinas")
    assert decisions.owner_of("Desa", "63.11.01.2002", rms) == ("desa", "63.11.01.2002")
    assert decisions.owner_of("Desa", "63.11.01", rms) is None   # a kecamatan has no desa owner
    assert decisions.owner_of("63.11.01.2003", "63.11", rms) == ("desa", "63.11.01.2003")
    assert decisions.owner_of("Pak Budi", None, rms) is None


def test_a_meeting_sees_the_month_before_it_by_default():
    assert decisions.previous_month(dt.date(2026, 1, 7)) == dt.date(2025, 12, 1)
    assert meetings.due_months("2025-11", 3) == ["2025-12", "2026-01", "2026-02"]


def test_the_form_draft_takes_the_owner_of_its_kind():
    d = meetings.draft("63.11.01.2002", "", "sosialisasi", "rm", "RM-01", "2026-01", 5, "x")
    assert (d["owner_kind"], d["owner"], d["sector"]) == ("rm", "RM-01", None)
    assert meetings.draft("63.11.01.2002", "perikanan", "sosialisasi", "desa", "RM-01",
                          "2026-01", 5, "")["owner"] == "63.11.01.2002"
    assert meetings.draft("63.11", "", "tambahan_anggaran", "dinas", "RM-01", "2026-01", 5,
                          "")["owner"] == "Dinas"
    with pytest.raises(decisions.DecisionError):
        meetings.draft("63.11.01", "", "sosialisasi", "desa", "", "2026-01", 5, "")


def test_prefills_carry_the_discussion_into_the_form():
    visit = pd.Series({"Kode desa": "63.11.01.2002", "Kategori": 4, "Kesenjangan (orang)": 523,
                       "Tindakan": "Sosialisasi dan penjangkauan"})
    d = meetings.prefill_from_desa(visit, "2025-10", {"63.11.01.2002": "RM-01"})
    assert (d["place_code"], d["action"], d["owner_kind"], d["owner"]) == (
        "63.11.01.2002", "jemput_bola", "rm", "RM-01")   # category 4: jemput bola
    assert d["expected_gain"] == 52 and "523" in d["detail"] and d["due_month"] == "2026-01"
    s = meetings.prefill_from_sector("perikanan", 340, "63.11", "2025-10")
    assert (s["sector"], s["owner_kind"], s["expected_gain"]) == ("perikanan", "dinas", 34)
    # Rp1.000.000.000 at Rp16.800 a month for 12 months protects 4.960 workers.
    b = meetings.prefill_from_budget(1_000_000_000, 4960, 12, "63.11", "2025-10")
    assert (b["action"], b["expected_gain"]) == ("tambahan_anggaran", 4960)
    assert b["detail"] == "Tambahan anggaran Rp1.000.000.000: 4.960 pekerja selama 12 bulan"
