"""The load report `python -m etl load` prints (etl.commands.report_text): in Indonesian, with
what a data officer reads (how rows were judged, how the dashboard's summaries were brought up to
date), and without the developers' digests, which stay in --json."""

from __future__ import annotations

import json

from etl.commands import report_text
from etl.load_log import LoadSummary


def _weekly() -> LoadSummary:
    return LoadSummary(
        kind="registrations", file="jawaban.csv", file_sha256="x", already_loaded=False,
        load_id=7, rows_read=2_040_000, accepted=2_010_000, quarantined=30_000, duplicates=1_990_000,
        reasons={"nik_format": 30_000},
        extra={"encoding": "utf-8", "delimiter": "titik koma", "date_order": "dmy",
               "flags": {"nik_other_kabupaten": 1200},
               "same_submission_seen_before": 1_970_000,
               "rows_path": {"path": "incremental", "rows_seen_before": 1_999_800,
                             "rows_seen_accepted": 1_970_000, "rows_judged": 40_200},
               "judging": {"rules": "04cc159131bb8429", "settings": "304e6f6410daebc5"},
               "marts": {"marts": "incremental", "people": 38_541},
               "a_detail_added_later": 3})


def test_a_weekly_load_is_reported_in_indonesian():
    text = report_text(_weekly())
    assert text.startswith("Berkas jawaban.csv dimuat sebagai Pendaftaran (ekspor formulir "
                           "Lindungi Prens) (muatan #7).")
    assert "Penilaian baris: 40.200 baris baru atau berubah dinilai; 1.999.800 baris sudah dikenal" \
        in text
    assert "Ringkasan dasbor: diperbarui untuk 38.541 orang yang tersentuh" in text
    assert "Urutan tanggal: hari/bulan/tahun (dd/mm/yyyy)" in text
    assert "Pemisah kolom: titik koma" in text
    assert "Kiriman yang sudah tersimpan: 1.970.000" in text
    assert "Tanda untuk verifikator: nik_other_kabupaten 1.200" in text
    for english in ("rows_path", "same_submission", "date_order", "marts:", "delimiter"):
        assert english not in text
    # A detail without a label yet is still shown, under its own name.
    assert "a_detail_added_later: 3" in text


def test_the_judging_digests_are_only_in_json():
    summary = _weekly()
    assert "04cc159131bb8429" not in report_text(summary)
    assert json.loads(summary.to_json())["extra"]["judging"]["rules"] == "04cc159131bb8429"


def test_a_full_judging_says_why():
    summary = _weekly()
    summary.extra["rows_path"] = {"path": "full", "rows_seen_before": 0, "rows_judged": 2_040_000,
                                  "reason": "konteks penilaian berubah: settings"}
    summary.extra["marts"] = {"marts": "full", "reason": "kata kunci sektor berubah"}
    text = report_text(summary)
    assert "Penilaian baris: semua 2.040.000 baris dinilai (konteks penilaian berubah: settings)" \
        in text
    assert "Ringkasan dasbor: dibangun ulang (kata kunci sektor berubah)" in text
