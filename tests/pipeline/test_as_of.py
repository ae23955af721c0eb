"""The month asked, or refused: the data's last month includes the membership export's date, a
running month is provisional, and its lapses are not final (etl.metrics, marts.data_span).

Hand-computed fixture (desa Tariwin, kec. Batu Mandi), the last event months before the export:

  person  submitted   verified    enrolled    paid through
  P1      2026-01-05  2026-01-12  2026-01-20  2026-10
  P2      2026-01-10  2026-01-12  2026-01-25  2026-06   (first month not paid: July)
  P3      2026-01-15  -           -           -

The membership export was taken on 2026-10-31 (`load members --date 2026-10-31`): the data's last
month is October 2026 although nothing happened after January. October: registered 3, verified 2,
enrolled 2, active 1 (P1), lapsed 1 (P2). June: active 2. July: active 1.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from etl import db, loaders, metrics
from tests.support.helpers import nik, row, run_cli, write_csv

MEMBER_HEADERS = ["NIK", "NAMA", "KPJ", "TGL_KEPESERTAAN", "PROGRAM", "SUMBER_DANA",
                  "IURAN_SAMPAI", "KODE_DESA"]
P = [nik(serial=i) for i in (1, 2, 3)]


def _members(path: Path, paid=("2026-10", "2026-06"), extra_header=None, extra=None) -> Path:
    rows = [[P[0], "Orang Satu", "26010000001", "2026-01-20", "JKK,JKM", "APBD", paid[0],
             "63.11.04.2001"],
            [P[1], "Orang Dua", "26010000002", "2026-01-25", "JKK,JKM", "APBD", paid[1],
             "63.11.04.2001"]]
    headers = MEMBER_HEADERS + ([extra_header] if extra_header else [])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow(r + ([extra] if extra_header else []))
    return path


def _base(tmp_path: Path, db_path: Path) -> None:
    reg = write_csv(tmp_path / "form.csv", [
        row(ts="1/5/2026 08:00:00", nik_=P[0], name="Orang Satu"),
        row(ts="1/10/2026 08:00:00", nik_=P[1], name="Orang Dua"),
        row(ts="1/15/2026 08:00:00", nik_=P[2], name="Orang Tiga")])
    assert loaders.load_file("registrations", reg, db_path=db_path).accepted == 3
    ver = tmp_path / "verifikasi.csv"
    ver.write_text("NIK,STATUS,ALASAN,TANGGAL\n"
                   f"{P[0]},TERVERIFIKASI,,2026-01-12\n{P[1]},TERVERIFIKASI,,2026-01-12\n",
                   encoding="utf-8")
    assert loaders.load_file("verification", ver, db_path=db_path).accepted == 2


@pytest.fixture
def october(tmp_path, db_path) -> Path:
    _base(tmp_path, db_path)
    result = run_cli("--db", str(db_path), "load", "members",
                     str(_members(tmp_path / "peserta.csv")), "--date", "2026-10-31")
    assert result.returncode == 0, result.stderr
    return db_path


def _kab(con, month):
    return metrics.coverage_table(con, level="kabupaten", as_of=month).iloc[0]


def test_the_export_date_ends_the_data_and_lapses_show_up_to_it(october):
    con = db.connect_readonly(october)
    try:
        span = metrics.data_span(con)
        assert (span.first_month, span.last_month, span.last_day) == ("2026-01", "2026-10",
                                                                      "2026-10-31")
        assert span.provisional_month is None and span.default_month == "2026-10"
        assert (span.export_date, span.export_source) == ("2026-10-31", "option")
        assert metrics.months(con)[-1] == "2026-10" and len(metrics.months(con)) == 10
        oct_ = _kab(con, None)  # default: the latest complete month, October
        assert [int(oct_[k]) for k in ("registered", "verified", "enrolled", "active",
                                       "lapsed")] == [3, 2, 2, 1, 1]
        assert int(_kab(con, "2026-06")["active"]) == 2
        assert int(_kab(con, "2026-07")["active"]) == 1
        assert [int(v) for v in metrics.monthly_trend(con)["active"]] == [2] * 6 + [1] * 4
        with pytest.raises(metrics.MonthAfterData, match="2026-10"):
            metrics.coverage_table(con, as_of="2026-11")
        with pytest.raises(metrics.MonthAfterData):
            metrics.funnel(con, as_of="2027-01")
        # Recorded with the load.
        details = json.loads(con.execute("SELECT details FROM meta.loads WHERE kind = 'members'"
                                         ).fetchone()[0])
        assert (details["export_date"], details["export_date_source"]) == ("2026-10-31",
                                                                          "option")
    finally:
        con.close()


def test_cli_refuses_a_month_after_the_data(october):
    result = run_cli("--db", str(october), "export", "coverage", "--level", "kabupaten",
                     "--as-of", "2026-11")
    assert result.returncode == 2
    assert "2026-10" in result.stderr and result.stdout == ""


def test_a_running_month_is_provisional_and_its_lapses_are_not_final(tmp_path, db_path):
    # The export was taken on 15 November: November is still running. P1 paid through October
    # has not paid November YET: still active in November (pending), not lapsed; P2's lapse
    # (July) is final. The default month is October, the latest complete one.
    _base(tmp_path, db_path)
    summary = loaders.load_file("members", _members(tmp_path / "peserta.csv"), db_path=db_path,
                                options={"export_date": "2026-11-15"})
    assert summary.extra["export_date"] == "2026-11-15"
    con = db.connect_readonly(db_path)
    try:
        span = metrics.data_span(con)
        assert (span.last_month, span.provisional_month, span.default_month) == (
            "2026-11", "2026-11", "2026-10")
        assert metrics.provisional_through(con, "2026-11") == "2026-11-15"
        assert metrics.provisional_through(con, "2026-10") is None
        assert metrics.provisional_through(con, None) is None   # the default is complete
        nov = _kab(con, "2026-11")
        assert (int(nov["active"]), int(nov["lapsed"]), int(nov["lapse_pending"])) == (1, 1, 1)
        oct_ = _kab(con, "2026-10")
        assert (int(oct_["active"]), int(oct_["lapse_pending"])) == (1, 0)
        funnel = metrics.funnel(con, as_of="2026-11")
        assert (funnel["active"], funnel["lapsed"], funnel["lapse_pending"]) == (1, 1, 1)
    finally:
        con.close()


@pytest.mark.parametrize("how", ["column", "file_name", "load_day"])
def test_the_export_date_from_the_file_or_the_load_day(tmp_path, db_path, how):
    import datetime as dt

    _base(tmp_path, db_path)
    if how == "column":
        path = _members(tmp_path / "peserta.csv", extra_header="TANGGAL DATA",
                        extra="30/09/2026")
        expected = "2026-09-30"
    elif how == "file_name":
        path = _members(tmp_path / "ekspor_peserta_2026-08-31.csv")
        expected = "2026-08-31"
    else:
        path = _members(tmp_path / "peserta.csv")
        expected = dt.date.today().isoformat()
    summary = loaders.load_file("members", path, db_path=db_path)
    assert (summary.extra["export_date"], summary.extra["export_date_source"]) == (expected, how)
    con = db.connect_readonly(db_path)
    try:
        assert metrics.data_span(con).last_day == expected
    finally:
        con.close()


def test_a_date_that_is_not_a_day_or_in_the_future_is_refused(tmp_path, db_path):
    _base(tmp_path, db_path)
    path = str(_members(tmp_path / "peserta.csv"))
    for bad in ("31-31-2026", "2999-01-01"):
        result = run_cli("--db", str(db_path), "load", "members", path, "--date", bad)
        assert result.returncode == 2, result.stderr
        assert "--date" in result.stderr
    # Nothing was loaded by the refused attempts.
    con = db.connect_readonly(db_path)
    try:
        assert con.execute("SELECT count(*) FROM core.members").fetchone()[0] == 0
    finally:
        con.close()
    other = run_cli("--db", str(db_path), "load", "verification", path, "--date", "2026-10-31")
    assert other.returncode == 2 and "members" in other.stderr


def test_the_export_file_says_its_month_and_whether_it_is_provisional(tmp_path, db_path):
    import io

    import pandas as pd

    _base(tmp_path, db_path)
    loaders.load_file("members", _members(tmp_path / "peserta.csv"), db_path=db_path,
                      options={"export_date": "2026-11-15"})

    def export(*args):
        result = run_cli("--db", str(db_path), "export", "coverage", "--level", "kabupaten",
                         *args)
        assert result.returncode == 0, result.stderr
        return pd.read_csv(io.StringIO(result.stdout), dtype="str", keep_default_na=False)

    default = export()
    assert (default["bulan"].iloc[0], default["sementara_sd"].iloc[0]) == ("2026-10", "")
    running = export("--as-of", "2026-11")
    assert (running["bulan"].iloc[0], running["sementara_sd"].iloc[0]) == ("2026-11",
                                                                          "2026-11-15")
    assert (running["active"].iloc[0], running["lapse_pending"].iloc[0]) == ("1", "1")


def test_status_shows_the_dashboards_funnel_with_the_same_names(october):
    from dashboard import charts

    result = run_cli("--db", str(october), "status")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Alur pendaftaran, keadaan akhir 2026-10:" in out
    con = db.connect_readonly(october)
    try:
        funnel = metrics.funnel(con)
    finally:
        con.close()
    for key, label in charts.FUNNEL_STEPS:   # the dashboard's labels
        line = next(x for x in out.splitlines() if x.strip().startswith(label))
        assert line.rstrip().endswith(f": {funnel[key]}"), line
    assert (funnel["registered"], funnel["verified"], funnel["enrolled_form"],
            funnel["active_form"]) == (3, 2, 2, 1)
    other = next(x for x in out.splitlines() if metrics.OTHER_CHANNEL_LABEL in x)
    assert other.rstrip().endswith(": 0 (aktif 0)")
    assert "Data sampai: 2026-10-31" in out
    status = json.loads(run_cli("--db", str(october), "status", "--json").stdout)
    assert status["funnel"]["registered"] == 3 and status["data_span"]["last_month"] == "2026-10"
