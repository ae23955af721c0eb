"""Sektor: coverage by sector against the kabupaten (or kecamatan) and each sector's target, flags
for under-reached sectors with their reason, and the sector x kecamatan heat map (layout only;
rules in dashboard.sectors)."""

from dashboard import registry

user = registry.require("sektor")

import streamlit as st  # noqa: E402

from dashboard import data, filters, layout, meetings, sectors, status  # noqa: E402
from dashboard.layout import fmt_int  # noqa: E402


latest = status.require_months()  # stops with one sentence when nothing is loaded yet
f = filters.current()
filters.require_area(f)  # an RM sees their area only (f.desa_codes), nothing without one
as_of = f.as_of or latest
year = f.year or int(as_of[:4])

st.title("Sektor")
place_label = f.place_label
through = status.provisional_banner(as_of)
st.caption(f"{place_label} · {layout.month_phrase(as_of, through)} · semua sektor")

rep = data.query(sectors.sector_report, year, as_of, kecamatan=f.kecamatan,
                 desa_codes=f.desa_codes)
table = rep["sectors"]
ref = rep["reference_pct"]

flagged = table[table["flagged"]]
st.subheader(f"Sektor yang tertinggal ({len(flagged)})")
st.caption("Ditandai bila batas atas selang kepercayaan 95% (Wilson) cakupan sektor masih di "
           f"bawah cakupan {rep['place']} atau di bawah target sektor, sehingga sektor kecil "
           "tidak ditandai hanya karena kebetulan. Diurutkan menurut kesenjangan (orang).")
if flagged.empty:
    st.success("Tidak ada sektor yang cakupannya jelas di bawah cakupan "
               f"{rep['place']} atau targetnya.", icon=":material/check_circle:")
for r in flagged.itertuples(index=False):
    st.warning(f"**{r.sektor_label}** · kesenjangan **{fmt_int(r.gap)} orang**. {r.reason}",
               icon=":material/priority_high:")

if meetings.can_write(user) and not flagged.empty:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox("Bahas di rapat", range(len(flagged)), key="rapat_sektor",
                        format_func=lambda i: flagged["sektor_label"].iloc[i])
    if c2.button("Catat sebagai keputusan rapat", key="rapat_dari_sektor",
                 icon=":material/groups:"):
        row = flagged.iloc[pick]
        meetings.start_draft(meetings.prefill_from_sector(
            row["sektor"], int(row["gap"]), f.kecamatan or data.kabupaten_code(), as_of))

for r in table[table["unreachable"]].itertuples(index=False):
    st.warning(f"**{r.sektor_label}**: target {fmt_int(r.target)} orang melebihi perkiraan "
               f"pekerja sektor ({fmt_int(r.estimated_workers)}), jadi tidak mungkin tercapai. "
               "Periksa target atau perkiraannya.", icon=":material/block:")

st.subheader("Cakupan per sektor")
if ref is None:
    st.info("Belum ada perkiraan jumlah pekerja untuk wilayah ini, jadi cakupan belum bisa "
            "dihitung. Muat dengan `python -m etl load denominators BERKAS`.")
else:
    st.plotly_chart(sectors.coverage_figure(table, ref, rep["place"]), width="stretch",
                    config={"displayModeBar": False})
    st.caption("Garis hitam pada batang: selang kepercayaan 95%. Garis putus-putus: cakupan "
               f"{rep['place']}. Tanda hijau: target sektor sebagai persentase perkiraan "
               "pekerja sektor. Merah: sektor yang ditandai.")

shown = sectors.display_table(table)
layout.table(layout.styled(shown), hide_index=True, width="stretch")
layout.partial_estimate_note(table, "sektor_label")
layout.download_buttons(shown, layout.file_stem(f"sektor_{as_of}", through), key="sektor_table")

st.subheader("Cakupan sektor x kecamatan")
st.plotly_chart(sectors.heatmap_figure(rep["heat"]), width="stretch",
                config={"displayModeBar": False})
st.caption("Sel kosong: belum ada perkiraan pekerja sektor itu di kecamatan tersebut."
           + (" Tiap kecamatan di sini hanya bagiannya yang termasuk wilayah Anda."
              if f.desa_codes is not None else ""))
heat = sectors.heat_table(rep["heat"])
with st.expander("Tabel sektor x kecamatan"):
    layout.table(heat, hide_index=True, width="stretch")
    layout.download_buttons(heat, layout.file_stem(f"sektor_kecamatan_{as_of}", through),
                            key="sektor_heat")
if f.sector:
    st.caption("Filter sektor tidak berlaku di halaman ini: semua sektor dibandingkan.")
