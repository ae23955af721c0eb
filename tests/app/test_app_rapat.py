"""The Rapat page under AppTest: pimpinan opens a meeting and records a decision through the
form (also pre-filled from Prioritas and the budget simulator), sees earlier decisions measured
under "Sejak rapat lalu"; the admin reads without any control to change; an RM may not open it,
and sees the decisions they own on their Target page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, meetings
from etl import db, decisions
from etl.loaders import load_file
from tests.support.decisions_kit import next_month_members
from tests.support.helpers import REPO

pytestmark = pytest.mark.slow

HAMARUNG = "63.11.01.2002"


def open_page(db_path, monkeypatch, page: str, role: str, rm_id: str | None = None,
              state: dict | None = None) -> AppTest:
    monkeypatch.setenv("CAKUPAN_DB", str(db_path))
    at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=90)
    at.session_state["cakupan_user"] = auth.User(role, role.title(), role, rm_id)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def by_label(elements, label: str):
    return next(e for e in elements if e.label == label)


def stored(db_path) -> list[tuple]:
    con = db.connect_readonly(db_path)
    try:
        return con.execute("SELECT place_code, action, owner_kind, owner, due_month::VARCHAR, "
                           "expected_gain, sector FROM plan.decisions ORDER BY 1").fetchall()
    finally:
        con.close()


def test_pimpinan_opens_a_meeting_and_records_a_decision(decisions_db, monkeypatch):
    at = open_page(decisions_db, monkeypatch, "rapat", "pimpinan")
    assert not at.exception, at.exception
    assert any("Belum ada rapat" in i.value for i in at.info)
    by_label(at.text_input, "Catatan").input("Rapat koordinasi November")
    by_label(at.button, "Buka rapat").click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][:1] == ["Sejak rapat lalu"]
    by_label(at.selectbox, "Wilayah").set_value(HAMARUNG)
    by_label(at.selectbox, "Tindakan").set_value("jemput_bola")
    by_label(at.radio, "Penanggung jawab").set_value("rm")
    by_label(at.selectbox, "RM (bila penanggung jawab RM)").set_value("RM-01")
    by_label(at.selectbox, "Jatuh tempo").set_value("2026-01")
    by_label(at.number_input, "Tambahan peserta aktif yang diharapkan").set_value(6)
    by_label(at.button, "Catat keputusan").click()
    at.run()
    assert not at.exception, at.exception
    assert stored(decisions_db) == [(HAMARUNG, "jemput_bola", "rm", "RM-01", "2026-01-01", 6,
                                     None)]
    assert any("tercatat" in s.value for s in at.success)
    assert "Keputusan rapat ini (1)" in [s.value for s in at.subheader]


def test_a_draft_from_the_budget_simulator_fills_the_form(decisions_db, monkeypatch):
    decisions.open_meeting(decisions_db, "2025-11-05", "Rapat")
    draft = meetings.prefill_from_budget(1_000_000_000, 4960, 12, "63.11", "2025-10")
    at = open_page(decisions_db, monkeypatch, "rapat", "pimpinan",
                   state={meetings.PREFILL_KEY: draft})
    assert not at.exception, at.exception
    assert by_label(at.selectbox, "Wilayah").value == "63.11"
    assert by_label(at.selectbox, "Tindakan").value == "tambahan_anggaran"
    assert by_label(at.radio, "Penanggung jawab").value == "dinas"
    assert by_label(at.number_input, "Tambahan peserta aktif yang diharapkan").value == 4960
    by_label(at.button, "Catat keputusan").click()
    at.run()
    assert stored(decisions_db) == [("63.11", "tambahan_anggaran", "dinas", "Dinas",
                                     "2026-04-01", 4960, None)]
    assert meetings.PREFILL_KEY not in at.session_state   # used once


def test_prioritas_hands_a_visit_list_desa_to_the_meeting(decisions_db, monkeypatch):
    at = open_page(decisions_db, monkeypatch, "prioritas", "pimpinan")
    assert not at.exception, at.exception
    at.button(key="rapat_dari_prioritas").click()
    at.run()
    draft = at.session_state[meetings.PREFILL_KEY]
    assert draft["place_code"] == HAMARUNG   # the largest gap of the visit list
    assert (draft["owner_kind"], draft["owner"]) == ("rm", "RM-01")
    rm = open_page(decisions_db, monkeypatch, "prioritas", "rm", "RM-01")
    assert not [b for b in rm.button if b.key == "rapat_dari_prioritas"]


def _loop(db_path, tmp_path):
    first = decisions.open_meeting(db_path, "2025-11-05", "Rapat November")
    ids = [decisions.record(db_path, first, HAMARUNG, "sosialisasi", "rm", "RM-01", "2025-12", 5),
           decisions.record(db_path, first, "63.11.02.2001", "sosialisasi", "rm", "RM-02",
                            "2026-02", 30)]
    path = next_month_members(db_path, tmp_path / "peserta.csv")
    load_file("members", path, db_path=db_path, options={"export_date": "2025-11-30"})
    second = decisions.open_meeting(db_path, "2025-12-05", "Rapat Desember")
    return first, second, ids


def test_the_next_meeting_sees_the_measured_gain(decisions_db, monkeypatch, tmp_path):
    _loop(decisions_db, tmp_path)
    at = open_page(decisions_db, monkeypatch, "rapat", "pimpinan")
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown if "#1 " in m.value or "#2 " in m.value]
    hamarung = next(v for v in lines if "Hamarung" in v)
    assert "10 → 18" in hamarung and "**+8**" in hamarung and ":green-badge[tercapai]" in hamarung
    hauwai = next(v for v in lines if "Hauwai" in v)
    assert ":gray-badge[belum berdampak]" in hauwai
    cards = {m.label: m.value for m in at.metric}
    assert cards["Keputusan dievaluasi"] == "2"
    review = at.dataframe[0].value
    assert list(review["Kenaikan"]) == ["+8", "+2"]
    assert [b.label for b in at.button if b.label in ("Simpan", "Catat keputusan")] == [
        "Simpan", "Catat keputusan"]


def test_the_admin_reads_and_changes_nothing(decisions_db, monkeypatch, tmp_path):
    _loop(decisions_db, tmp_path)
    at = open_page(decisions_db, monkeypatch, "rapat", "admin")
    assert not at.exception, at.exception
    assert "hanya baca" in at.caption[0].value
    assert [s.value for s in at.subheader] == ["Sejak rapat lalu", "Keputusan rapat ini (0)"]
    assert not [b for b in at.button if b.label in ("Buka rapat", "Simpan", "Catat keputusan")]
    assert len(at.dataframe) == 1


def test_an_rm_may_not_open_rapat_and_sees_their_own_decisions_on_target(
        decisions_db, monkeypatch, tmp_path):
    _loop(decisions_db, tmp_path)
    denied = open_page(decisions_db, monkeypatch, "rapat", "rm", "RM-01")
    assert any("tidak memiliki akses" in e.value for e in denied.error)
    assert not denied.dataframe
    at = open_page(decisions_db, monkeypatch, "target", "rm", "RM-01")
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Keputusan rapat yang Anda tangani (1)"
    own = at.dataframe[0].value
    assert list(own["Wilayah"]) == ["Desa Hamarung (Juai)"]
    assert list(own["Status"]) == ["tercapai"]
    other = open_page(decisions_db, monkeypatch, "target", "rm", "RM-02")
    assert other.subheader[0].value == "Keputusan rapat yang Anda tangani (1)"
    assert list(other.dataframe[0].value["Wilayah"]) == ["Desa Hauwai (Halong)"]
