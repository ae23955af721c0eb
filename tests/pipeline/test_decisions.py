"""The planning loop's figures and storage (etl.decisions, etl/sql/queries/decision_measure.sql):
the comparison arithmetic against a hand-computed fixture, "active now" equal to `export
coverage`, the CLI (load, export, list), decisions written through the locked atomic write while
a real load runs, loads never dropping decisions, the minutes PDF, the demo's two meetings.

The fixture (tests/support/decisions_kit.py): the analysis database, data to October 2025; a
meeting looking at October records decisions; next month's export (30 November) adds 8 members
in Hamarung, 3 in Muara Ninian, 1 in Juai (the desa), 2 in Hauwai. Kecamatan Juai has 21 desa.
Priority categories at October (etl.priority): Hamarung, Muara Ninian and Bangkal category 4,
Hauwai 3, Juai 1; the other desa have no estimate (no category).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from bench.export_generator import write_export
from etl import db, decisions
from etl.loaders import load_file
from tests.support.decisions_kit import next_month_members
from tests.support.helpers import REPO, run_cli
from tests.support.loader_kit import write_csv

pytestmark = pytest.mark.slow

HAMARUNG, MUARA_NINIAN, HALONG, KAB = "63.11.01.2002", "63.11.01.2001", "63.11.02", "63.11"


def _record_meeting(db_path) -> tuple[int, dict]:
    meeting = decisions.open_meeting(db_path, "2025-11-05", "Rapat November")
    ids = {
        "desa": decisions.record(db_path, meeting, HAMARUNG, "sosialisasi", "rm", "RM-01",
                                 "2025-12", 5),
        "kecamatan": decisions.record(db_path, meeting, HALONG, "jemput_bola", "dinas",
                                      "Dinas", "2026-01", 10),
        "kabupaten": decisions.record(db_path, meeting, KAB, "tambahan_anggaran", "dinas",
                                      "Dinas", "2026-06", 100, detail="Rp1 M"),
    }
    return meeting, ids


def _next_month(db_path, tmp_path):
    path = next_month_members(db_path, tmp_path / "peserta_2025-11-30.csv")
    return load_file("members", path, db_path=db_path, options={"export_date": "2025-11-30"})


def _measured(db_path, as_of=None):
    con = db.connect_readonly(db_path)
    try:
        return decisions.measure(con, as_of).set_index("decision_id")
    finally:
        con.close()


def test_comparison_arithmetic_matches_the_hand_computed_fixture(decisions_db, tmp_path):
    _, ids = _record_meeting(decisions_db)
    at_meeting = _measured(decisions_db)
    assert set(at_meeting["measure_month"]) == {"2025-10"}
    assert list(at_meeting["gain"]) == [0, 0, 0]
    assert set(at_meeting["status"]) == {"no_effect"}
    _next_month(decisions_db, tmp_path)
    m = _measured(decisions_db)
    desa = m.loc[ids["desa"]]
    # Hamarung: 10 active in October (20 members, 10 lapsed), +8 in November. Only 2 other
    # category-4 desa (< 5): compared with the 20 other desa of kecamatan Juai, which gained
    # 3 + 1 = 4 together: mean 0.2. Net 8 - 0.2 = 7.8 >= 5: achieved.
    assert (desa["active_base"], desa["active_now"], desa["gain"]) == (10, 18, 8)
    assert (desa["comparison_basis"], desa["comparison_places"]) == ("kecamatan", 20)
    assert desa["comparison_gain"] == pytest.approx(0.2)
    assert desa["net_gain"] == pytest.approx(7.8)
    assert desa["status"] == "achieved" and desa["category"] == 4
    kec = m.loc[ids["kecamatan"]]
    # Halong: 50 active, +2 (Hauwai). The 7 other kecamatan gained 12 (Juai) and 0: mean 12/7.
    # Net 2 - 1.714 = 0.3, below 10 x 1/3 (one of the three months to the due month): no effect.
    assert (kec["active_base"], kec["active_now"], kec["gain"]) == (50, 52, 2)
    assert (kec["comparison_basis"], kec["comparison_places"]) == ("kecamatan_lain", 7)
    assert kec["comparison_gain"] == pytest.approx(1.7)
    assert kec["net_gain"] == pytest.approx(0.3)
    assert kec["status"] == "no_effect"
    kab = m.loc[ids["kabupaten"]]
    # The kabupaten: 117 -> 131, no comparison; 14 >= 100 x 1/8 months: on track.
    assert (kab["active_base"], kab["active_now"], kab["gain"]) == (117, 131, 14)
    assert kab["comparison_basis"] is None or kab["comparison_basis"] != kab["comparison_basis"]
    assert kab["net_gain"] == pytest.approx(14) and kab["status"] == "on_track"
    # Measured at the meeting's own month, nothing has happened yet.
    assert set(_measured(decisions_db, "2025-10")["gain"]) == {0}


def test_enough_places_of_the_category_are_the_comparison(decisions_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DECISION_MIN_COMPARISON", "2")
    _, ids = _record_meeting(decisions_db)
    _next_month(decisions_db, tmp_path)
    desa = _measured(decisions_db).loc[ids["desa"]]
    # Category 4 without a decision: Muara Ninian (+3) and Bangkal (+0): mean 1.5, net 6.5.
    assert (desa["comparison_basis"], desa["comparison_places"]) == ("kategori", 2)
    assert desa["comparison_gain"] == pytest.approx(1.5)
    assert desa["net_gain"] == pytest.approx(6.5)


def test_a_desa_with_its_own_decision_is_no_comparison_place(decisions_db, tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("CAKUPAN_DECISION_MIN_COMPARISON", "1")
    meeting, ids = _record_meeting(decisions_db)
    decisions.record(decisions_db, meeting, MUARA_NINIAN, "sosialisasi", "rm", "RM-01",
                     "2025-12", 2)
    _next_month(decisions_db, tmp_path)
    desa = _measured(decisions_db).loc[ids["desa"]]
    assert (desa["comparison_basis"], desa["comparison_places"]) == ("kategori", 1)  # Bangkal
    assert desa["comparison_gain"] == pytest.approx(0.0)


def _json(proc):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _coverage(db_path, level, as_of):
    import csv
    import io

    proc = run_cli("--db", str(db_path), "export", "coverage", "--level", level, "--as-of", as_of)
    assert proc.returncode == 0, proc.stderr
    return {r["kode"]: int(r["active"]) for r in csv.DictReader(io.StringIO(proc.stdout))}


def test_active_now_is_export_coverage_of_the_place_and_month(decisions_db, tmp_path):
    _record_meeting(decisions_db)
    _next_month(decisions_db, tmp_path)
    listed = _json(run_cli("--db", str(decisions_db), "decisions", "list", "--json"))
    assert len(listed) == 3
    for d in listed:
        now = _coverage(decisions_db, d["place_level"], d["measure_month"])
        before = _coverage(decisions_db, d["place_level"], d["baseline_month"])
        assert d["active_now"] == now[d["place_code"]]
        assert d["active_base"] == before[d["place_code"]]


def test_load_export_and_list_decisions_from_the_command_line(decisions_db, tmp_path):
    rows = [
        ["2025-11-05", "6311012002", "", "Sosialisasi", "RM-01", "2025-12", "5", "balai desa"],
        ["05/11/2025", "63.11.02", "pertanian", "jemput bola", "Dinas", "Jan 2026", "10", ""],
        ["2025-11-05", "63.11.99.9999", "", "Sosialisasi", "RM-01", "2025-12", "5", ""],
        ["2025-11-05", "63.11.01.2001", "", "terbang", "RM-01", "2025-12", "5", ""],
        ["2025-11-05", "63.11.01.2001", "", "sosialisasi", "Pak Budi", "2025-12", "5", ""],
        ["2025-11-05", "63.11.01.2001", "", "sosialisasi", "RM-01", "kapan", "5", ""],
        ["2025-11-05", "63.11.01.2001", "", "sosialisasi", "RM-01", "2025-12", "banyak", ""],
    ]
    src = write_csv(tmp_path / "keputusan.csv", ["TANGGAL_RAPAT", "KODE", "SEKTOR", "TINDAKAN",
                                                 "PENANGGUNG_JAWAB", "JATUH_TEMPO",
                                                 "TARGET_TAMBAHAN", "CATATAN"], rows)
    out = _json(run_cli("--db", str(decisions_db), "load", "decisions", str(src), "--json"))
    assert (out["rows_read"], out["accepted"], out["quarantined"]) == (7, 2, 5)
    assert out["reasons"] == {"place_unknown": 1, "action_unknown": 1, "owner_unknown": 1,
                              "due_month_invalid": 1, "number_invalid": 1}
    again = _json(run_cli("--db", str(decisions_db), "load", "decisions", str(src), "--json"))
    assert again["already_loaded"]
    listed = _json(run_cli("--db", str(decisions_db), "decisions", "list", "--json"))
    assert [(d["place_code"], d["action"], d["owner"], d["sector"], d["baseline_month"])
            for d in listed] == [(HAMARUNG, "sosialisasi", "RM-01", None, "2025-10"),
                                 (HALONG, "jemput_bola", "Dinas", "pertanian", "2025-10")]
    # The export reads back as the same decisions: all known, none stored twice.
    exported = run_cli("--db", str(decisions_db), "export", "decisions")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[0].startswith("ID,NO_RAPAT,TANGGAL_RAPAT,KODE")
    back = tmp_path / "keputusan_ekspor.csv"
    back.write_text(exported.stdout, encoding="utf-8")
    out = _json(run_cli("--db", str(decisions_db), "load", "decisions", str(back), "--json"))
    assert (out["accepted"], out["duplicates"], out["quarantined"]) == (2, 2, 0)
    assert len(_json(run_cli("--db", str(decisions_db), "decisions", "list", "--json"))) == 2
    text = run_cli("--db", str(decisions_db), "decisions", "list")
    assert "Hamarung" in text.stdout and "belum berdampak" in text.stdout


def test_an_edited_decision_in_a_reloaded_file_is_quarantined_not_dropped(decisions_db,
                                                                         tmp_path):
    """The exported file edited in a spreadsheet (another expected gain and a note) and loaded
    back: the decision taken is not rewritten, and the edit is not counted as "known" either;
    it is quarantined saying what differs. The unedited row is known; a hostile cell stays text."""
    header = ["TANGGAL_RAPAT", "KODE", "SEKTOR", "TINDAKAN", "PENANGGUNG_JAWAB", "JATUH_TEMPO",
              "TARGET_TAMBAHAN", "CATATAN"]
    first = write_csv(tmp_path / "keputusan.csv", header, [
        ["2025-11-05", HAMARUNG, "", "sosialisasi", "RM-01", "2025-12", "5", "balai desa"],
        ["2025-11-05", HALONG, "", "jemput bola", "Dinas", "2026-01", "10", "=1+1"]])
    out = _json(run_cli("--db", str(decisions_db), "load", "decisions", str(first), "--json"))
    assert (out["accepted"], out["quarantined"]) == (2, 0)
    edited = write_csv(tmp_path / "keputusan_diedit.csv", header, [
        ["05/11/2025", "6311012002", "", "Sosialisasi", "RM-01", "Des 2025", "8", "balai desa"],
        ["05/11/2025", "63.11.02", "", "jemput bola", "Dinas", "2026-01", "10", "=1+1"]])
    out = _json(run_cli("--db", str(decisions_db), "load", "decisions", str(edited), "--json"))
    assert (out["accepted"], out["duplicates"], out["quarantined"]) == (1, 1, 1)
    assert out["reasons"] == {"decision_differs": 1}
    con = db.connect_readonly(decisions_db)
    try:
        detail = con.execute("SELECT reason_detail, row_number FROM meta.quarantine "
                             "WHERE reason_code = 'decision_differs'").fetchall()
        stored = con.execute("SELECT place_code, expected_gain, detail FROM plan.decisions "
                             "ORDER BY decision_id").fetchall()
    finally:
        con.close()
    assert len(detail) == 1 and detail[0][1] == 1
    assert "target tambahan 5 (berkas: 8)" in detail[0][0]
    assert stored == [(HAMARUNG, 5, "balai desa"), (HALONG, 10, "=1+1")]
    # The note is stored as typed and written out neutralised, never as a live formula.
    exported = run_cli("--db", str(decisions_db), "export", "decisions").stdout
    assert ",'=1+1," in exported and ",=1+1," not in exported


def test_a_decision_saved_while_a_load_runs_is_not_lost(decisions_db, tmp_path):
    meeting = decisions.open_meeting(decisions_db, "2025-11-05", "Rapat")
    big = write_export(tmp_path / "besar.csv", 150_000)
    load = subprocess.Popen([sys.executable, "-m", "etl", "--db", str(decisions_db), "load",
                             "registrations", str(big)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".cakupan.duckdb.*.tmp*")):
        time.sleep(0.02)
    assert load.poll() is None, "the load ended before the decision was saved"
    # The load holds the write lock: this waits for it, then writes onto the loaded file.
    decision = decisions.record(decisions_db, meeting, HAMARUNG, "sosialisasi", "rm", "RM-01",
                                "2025-12", 5)
    assert load.wait(timeout=300) == 0, load.stderr.read()
    con = db.connect_readonly(decisions_db)
    try:
        kinds = [r[0] for r in con.execute(
            "SELECT kind FROM meta.loads ORDER BY load_id").fetchall()]
        assert kinds[-1] == "registrations"
        assert con.execute("SELECT count(*) FROM core.registrations").fetchall()[0][0] > 100_000
        assert con.execute("SELECT decision_id FROM plan.decisions").fetchall() == [(decision,)]
    finally:
        con.close()


def test_loads_never_drop_decisions(decisions_db, tmp_path):
    _, ids = _record_meeting(decisions_db)
    _next_month(decisions_db, tmp_path)
    rm = write_csv(tmp_path / "rm.csv", ["RM_ID", "KODE_DESA"], [["RM-01", HAMARUNG]])
    load_file("rm-areas", rm, db_path=decisions_db)
    con = db.connect_readonly(decisions_db)
    try:
        stored = [r[0] for r in con.execute("SELECT decision_id FROM plan.decisions "
                                            "ORDER BY 1").fetchall()]
        meetings = con.execute("SELECT count(*) FROM plan.meetings").fetchall()[0][0]
    finally:
        con.close()
    assert stored == sorted(ids.values()) and meetings == 1


def test_close_and_carry_over(decisions_db, tmp_path):
    first, ids = _record_meeting(decisions_db)
    _next_month(decisions_db, tmp_path)
    second = decisions.open_meeting(decisions_db, "2025-12-05", "Rapat Desember")
    decisions.close(decisions_db, ids["desa"], second)
    carried = decisions.carry_over(decisions_db, ids["kecamatan"], second, "2026-03")
    with pytest.raises(decisions.DecisionError):
        decisions.close(decisions_db, ids["desa"], second)   # already closed
    m = _measured(decisions_db)
    assert m.loc[ids["desa"], "state"] == "closed"
    assert m.loc[ids["desa"], "closed_month"] == "2025-11"
    assert m.loc[ids["kecamatan"], "state"] == "carried"
    new = m.loc[carried]
    assert (new["meeting_id"], new["baseline_month"], new["due_month"], new["state"]) == (
        second, "2025-10", "2026-03", "open")
    assert new["gain"] == m.loc[ids["kecamatan"], "gain"]   # measured since the first decision
    review = decisions.under_review(m.reset_index(), second, "2025-12-05")
    assert set(review["decision_id"]) == {ids["desa"], ids["kecamatan"], ids["kabupaten"]}


def test_a_decision_that_cannot_be_recorded_says_why(decisions_db):
    meeting = decisions.open_meeting(decisions_db, "2025-11-05")
    for args, words in [((HAMARUNG, "terbang", "rm", "RM-01", "2025-12", 5), "Tindakan"),
                        (("63.11.99.9999", "sosialisasi", "rm", "RM-01", "2025-12", 5), "Kode"),
                        ((HAMARUNG, "sosialisasi", "rm", "RM-01", "2025-09", 5), "jatuh tempo"),
                        ((HAMARUNG, "sosialisasi", "rm", "RM-01", "2025-12", 0), "1 atau")]:
        with pytest.raises(decisions.DecisionError, match=words):
            decisions.record(decisions_db, meeting, *args)
    assert _measured(decisions_db).empty


def test_the_minutes_hold_the_review_and_the_new_decisions(decisions_db, tmp_path):
    from dashboard import minutes

    first, ids = _record_meeting(decisions_db)
    _next_month(decisions_db, tmp_path)
    second = decisions.open_meeting(decisions_db, "2025-12-05", "Rapat Desember")
    decisions.record(decisions_db, second, MUARA_NINIAN, "verifikasi_massal", "desa",
                     MUARA_NINIAN, "2026-02", 4)
    con = db.connect_readonly(decisions_db)
    try:
        pdf = minutes.build_pdf(con, second)
    finally:
        con.close()
    assert pdf[:5] == b"%PDF-" and len(pdf) < 200_000   # WhatsApp takes it
    path = tmp_path / "notulen.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Notulen rapat perencanaan" in text and "5 Desember 2025" in text
    assert "Sejak rapat lalu" in text and "Hamarung" in text and "tercapai" in text
    assert "Keputusan rapat ini (1)" in text and "Muara Ninian" in text
    assert "Februari" not in text or "Feb 2026" in text
    assert "6311" not in text.replace("63.11", "")   # no NIK-like digits: aggregates only


def test_the_demo_shows_the_loop_on_the_first_day(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        m = decisions.measure(con)
        held = decisions.meetings(con)
    finally:
        con.close()
    assert len(held) == 2
    assert {"achieved", "no_effect"} <= set(m["status"])
    assert {"open", "closed", "carried"} <= set(m["state"])
    worked = m[m["status"] == "achieved"]
    assert (worked["net_gain"] >= worked["expected_gain"]).all()
    assert (worked["comparison_places"] > 0).any()
