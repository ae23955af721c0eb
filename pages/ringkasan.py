"""Ringkasan: the headline for a planning meeting (layout only; figures from dashboard.data).

Protected workers now against the year's target and the workers in scope, the funnel with its
drop-off, the cumulative monitoring chart with the target path, and coverage per place. An RM
sees their area only (filters.current carries it; every data call gets its desa_codes), with the
RM target, and coverage per desa of the area.
"""

from dashboard import registry

registry.require("ringkasan")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard import brief_download, charts, data, filters, headline, layout  # noqa: E402
from dashboard import places, status  # noqa: E402
from dashboard.layout import fmt_int, fmt_pct, fmt_signed  # noqa: E402

latest = status.require_months()
f = filters.current()
filters.require_area(f)
as_of = f.as_of or latest
area = f.desa_codes
year = f.year or int(as_of[:4])

st.title("Ringkasan")
through = status.provisional_banner(as_of)
st.caption(f"{f.scope_label} · {layout.month_phrase(as_of, through)}")
brief_download.download_button(f.kecamatan)  # PDF planning brief (dashboard/brief.py, issue 5)

level = f.headline_level
now = data.coverage_table(level=level, as_of=as_of, kecamatan=f.kecamatan, sector=f.sector,
                          desa_codes=area)
row = now.iloc[0]  # for an RM: the part of the kabupaten (or kecamatan) in their area
trend = data.monthly_trend(kecamatan=f.kecamatan, sector=f.sector, desa_codes=area)
target = data.year_target(year, kecamatan=f.kecamatan, sector=f.sector, rm_id=f.rm_id)
hl = headline.headline(row, trend, as_of, target)

st.markdown(f"#### {hl.sentence}")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Pekerja terlindungi (aktif)", fmt_int(hl.active),
          delta=f"{fmt_signed(hl.change)} dari bulan lalu" if hl.change is not None
          else None, delta_color="normal")
c2.metric(f"Target {year}", fmt_int(target) if target else "belum ada",
          delta=f"tercapai {fmt_pct(hl.attainment)}" if hl.attainment is not None else None,
          delta_color="off", delta_arrow="off")
c3.metric("Perkiraan pekerja rentan", fmt_int(hl.estimated),
          delta=f"cakupan {fmt_pct(hl.coverage)}" if hl.coverage is not None else None,
          delta_color="off", delta_arrow="off")
c4.metric("Belum terlindungi", fmt_int(hl.gap), delta="pekerja dalam sasaran", delta_color="off",
          delta_arrow="off")
layout.partial_estimate_note(now)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Grafik pemantauan: peserta aktif dan jalur target")
    st.plotly_chart(charts.monitoring_chart(trend, year, target, as_of=as_of,
                                            baseline=hl.baseline, provisional_through=through),
                    width="stretch", config={"displayModeBar": False})
    st.caption("Garis hijau: peserta aktif pada akhir tiap bulan. Garis putus-putus merah: jalur "
               "lurus dari keadaan akhir tahun lalu ke target akhir Desember. Di bawah jalur "
               "berarti tertinggal. Sumbu tegak tidak selalu dimulai dari nol.")
with right:
    st.subheader("Alur pendaftaran")
    counts = data.funnel(as_of=as_of, kecamatan=f.kecamatan, sector=f.sector, desa_codes=area)
    st.plotly_chart(charts.funnel_figure(counts, provisional_through=through), width="stretch",
                    config={"displayModeBar": False})
    st.caption("Angka dalam kurung: bagian dari tahap sebelumnya. Merah: yang berhenti di tahap "
               "itu (belum/tidak lolos verifikasi, belum terdaftar BPJS, iuran menunggak).")
    waits = []
    if counts.get("median_days_to_verify") is not None:
        waits.append(f"daftar → verifikasi {fmt_int(counts['median_days_to_verify'])} hari")
    if counts.get("median_days_to_enrol") is not None:
        waits.append(f"verifikasi → terdaftar BPJS {fmt_int(counts['median_days_to_enrol'])} hari")
    if waits:
        st.caption("Waktu tunggu median: " + "; ".join(waits) + ".")

place = f.place_level  # an RM sees their desa, not kecamatan (dashboard.filters)
st.subheader(f"Cakupan per {place}")
table = data.coverage_table(level=place, as_of=as_of, kecamatan=f.kecamatan, sector=f.sector,
                            with_unknown=True, desa_codes=area)
st.plotly_chart(charts.coverage_bars(table), width="stretch", config={"displayModeBar": False})
layout.partial_estimate_note(table, year_note=False)
layout.unknown_place_note(table)
with st.expander(f"Tabel per {place}"):
    shown = places.place_table(table.assign(growth_pp=pd.NA, lapse_pct=pd.NA))
    shown = shown[list(places.SHORT_COLUMNS)]
    layout.table(layout.styled(shown), hide_index=True, width="stretch")
    layout.download_buttons(shown, layout.file_stem(f"ringkasan_{place}_{as_of}", through),
                            key="ringkasan_tabel")
