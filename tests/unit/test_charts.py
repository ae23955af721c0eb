"""Chart builders, tested by rendering their plotly JSON: the funnel shows each step with its
drop-off, the monitoring chart draws the target path to December, numbers are Indonesian."""

from __future__ import annotations

import json

import pandas as pd

from dashboard import charts, headline, layout


def test_funnel_shows_steps_shares_and_drop_off():
    fig = charts.funnel_figure({"registered": 12000, "verified": 10000, "enrolled_form": 9000,
                                "active_form": 8100, "other_channel": 500,
                                "other_channel_active": 450, "active": 8550})
    spec = json.loads(fig.to_json())
    trace = spec["data"][0]
    assert trace["type"] == "funnel" and trace["x"] == [12000, 10000, 9000, 8100]
    assert trace["y"] == ["Pendaftar formulir", "Lolos verifikasi",
                          "Terdaftar BPJS lewat formulir", "Aktif (iuran dibayar)"]
    assert trace["text"][1] == "10.000 (83,3%)"
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert notes[:3] == ["−2.000 belum/tidak lolos", "−1.000 belum terdaftar", "−900 menunggak"]
    # The other channel is its own line, not inside the form funnel.
    assert notes[3] == ("Terdaftar BPJS lewat jalur lain: <b>500</b><br>(aktif 450)<br>"
                        "Peserta aktif, semua jalur: <b>8.550</b>")
    assert spec["layout"]["separators"] == ",."


def test_monitoring_chart_draws_actuals_to_as_of_and_a_straight_target_path():
    trend = pd.DataFrame({"month": ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"],
                          "active": [1200, 1300, 1450, 1500, 1600]})
    fig = charts.monitoring_chart(trend, 2026, target=2400, as_of="2026-03")
    spec = json.loads(fig.to_json())
    path, actual = spec["data"]
    assert path["name"] == "Jalur target (2.400)"
    assert path["y"][0] == 1200 and path["y"][-1] == 2400 and len(path["y"]) == 13
    assert path["y"][3] == 1200 + 1200 * 3 / 12       # end of March on the path
    assert actual["y"] == [1200, 1300, 1450, 1500]      # stops at the as-of month
    assert "Jalur target" in fig.to_json()


def test_monitoring_chart_without_target_has_no_path():
    trend = pd.DataFrame({"month": ["2026-01"], "active": [10]})
    spec = json.loads(charts.monitoring_chart(trend, 2026, target=None).to_json())
    assert [t["name"] for t in spec["data"]] == ["Peserta aktif"]


def test_coverage_bars_colour_by_fixed_classes_and_grey_without_estimate():
    table = pd.DataFrame({"nama": ["A", "B", "C"], "coverage_pct": [12.0, 91.0, None],
                          "gap": [880, 9, None], "active": [120, 91, 5],
                          "estimated_workers": [1000, 100, None]})
    spec = json.loads(charts.coverage_bars(table).to_json())
    colors = dict(zip(spec["data"][0]["y"], spec["data"][0]["marker"]["color"]))
    assert colors == {"A": "#d7191c", "B": "#1a9641", "C": charts.NO_DATA}


def test_indonesian_formats():
    assert layout.fmt_int(1234567) == "1.234.567"
    assert layout.fmt_pct(0.456) == "45,6%"
    assert layout.fmt_date("2026-10-31") == "31 Oktober 2026"
    assert layout.fmt_month("2026-01") == "Januari 2026"
    assert layout.fmt_int(None) == "-"


def test_headline_sentence_compares_with_the_target_path():
    row = pd.Series({"active": 1500, "estimated_workers": 3000, "gap": 1500})
    trend = pd.DataFrame({"month": ["2025-12", "2026-02", "2026-03"],
                          "active": [1200, 1450, 1500]})
    hl = headline.headline(row, trend, "2026-03", target=2400)
    assert hl.change == 50 and hl.baseline == 1200 and hl.on_path == 1500
    assert hl.sentence == ("Per akhir Maret 2026: 1.500 pekerja terlindungi, 62,5% dari target "
                           "2026 (2.400). Jalur target bulan ini 1.500: unggul 0.")


def test_monitoring_axis_starts_at_zero_unless_all_values_are_high():
    assert charts.axis_range([0, 500, 1000])[0] == 0
    low, high = charts.axis_range([3100, 3229, 3400])
    assert 2000 < low < 3100 and high > 3400
