"""Prioritas & Anggaran: desa in four RED categories with their action, the ranked visit list,
and the budget simulator (layout only; rules in dashboard.priority and dashboard.budget). An RM
sees only the desa of their area, filtered in the data call."""

from dashboard import registry

user = registry.require("prioritas")

import streamlit as st  # noqa: E402

from dashboard import budget, data, filters, layout, meetings, priority, status  # noqa: E402
from dashboard.layout import fmt_int, fmt_rupiah  # noqa: E402


latest = status.require_months()  # stops with one sentence when nothing is loaded yet
f = filters.current()
as_of = f.as_of or latest
year = f.year or int(as_of[:4])
filters.require_area(f)  # the signed-in user's scope is decided in dashboard.filters

st.title("Prioritas & Anggaran")
scope = f.place_label
through = status.provisional_banner(as_of)
st.caption(f"{scope} · {layout.month_phrase(as_of, through)}")

table = data.query(priority.priority_table, year, as_of, **f.desa_scope)
layout.estimate_year_note(table)
cov_t, drop_t = priority.thresholds()

st.subheader("Kategori desa (pendekatan RED)")
st.markdown(
    f"Cakupan **rendah** bila peserta aktif di bawah **{100 * cov_t:.0f}%** target desa (target "
    "desa bila ada, selain itu bagian desa dari target kabupaten menurut perkiraan pekerja). "
    f"Drop-off **tinggi** bila lebih dari **{100 * drop_t:.0f}%** pendaftar macet sebelum "
    "terdaftar BPJS, atau lebih dari itu peserta berhenti membayar iuran.")
summary = priority.category_summary(table)
layout.table(summary, hide_index=True, width="stretch")
layout.download_buttons(summary, layout.file_stem(f"kategori_desa_{as_of}", through), key="prioritas_kategori")
st.plotly_chart(priority.quadrant_figure(table, cov_t, drop_t), width="stretch",
                config={"displayModeBar": False})
st.caption("Tiap lingkaran satu desa; besar lingkaran = kesenjangan (orang belum terlindungi). "
           "Garis putus-putus: ambang kategori.")

st.subheader("Daftar kunjungan: kesenjangan terbesar dulu")
visits = priority.visit_list(table)
layout.table(visits, hide_index=True, width="stretch", height=420)
layout.download_buttons(visits, layout.file_stem(f"daftar_kunjungan_{as_of}", through), key="prioritas_kunjungan")
if meetings.can_write(user) and not visits.empty:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox("Bahas di rapat", range(len(visits)), key="rapat_desa",
                        format_func=lambda i: f"{visits['Desa'].iloc[i].title()} · kesenjangan "
                                              f"{fmt_int(visits['Kesenjangan (orang)'].iloc[i])}")
    if c2.button("Catat sebagai keputusan rapat", key="rapat_dari_prioritas",
                 icon=":material/groups:"):
        meetings.start_draft(meetings.prefill_from_desa(
            visits.iloc[pick], as_of, data.query(meetings.rm_of_desa)))

st.divider()
st.header("Simulasi anggaran")
premium = budget.premium()
st.caption(f"Iuran {fmt_rupiah(premium)} per pekerja per bulan (JKK + JKM, kelas terendah BPU; "
           "pengaturan premium_per_month).")
c1, c2, c3 = st.columns([2, 1, 2])
amount = c1.number_input("Anggaran (rupiah)", min_value=0, value=1_000_000_000,
                         step=50_000_000, format="%d", key="anggaran_rp")
months = c2.number_input("Lama perlindungan (bulan)", min_value=1, max_value=60, value=12,
                         step=1, key="anggaran_bulan")
strategy = c3.radio("Cara membagi", list(budget.STRATEGIES), key="anggaran_strategi",
                    format_func=budget.STRATEGIES.get, horizontal=True)

desa_in, kec_in = data.query(priority.budget_inputs, as_of, **f.desa_scope)
sim = budget.simulate(desa_in, kec_in, amount, int(months), strategy, premium)
m1, m2, m3 = st.columns(3)
m1.metric("Pekerja yang terbiayai", fmt_int(sim["affordable"]),
          delta=f"{fmt_rupiah(premium * int(months))} per pekerja",
          delta_color="off", delta_arrow="off")
m2.metric("Dialokasikan ke desa", fmt_int(sim["allocated"]),
          delta=f"{fmt_rupiah(sim['cost_rp'])}", delta_color="off", delta_arrow="off")
m3.metric("Sisa anggaran", fmt_rupiah(sim["leftover_rp"]),
          delta="semua kesenjangan tertutup" if sim["allocated"] < sim["affordable"] else None,
          delta_color="off", delta_arrow="off")

if meetings.can_write(user) and sim["affordable"] > 0:
    if st.button("Catat simulasi ini sebagai keputusan rapat", key="rapat_dari_anggaran",
                 icon=":material/groups:"):
        meetings.start_draft(meetings.prefill_from_budget(
            int(amount), int(sim["affordable"]), int(months),
            f.kecamatan or data.kabupaten_code(), as_of))

st.subheader("Cakupan per kecamatan sebelum dan sesudah")
st.plotly_chart(budget.allocation_figure(sim["kecamatan"]), width="stretch",
                config={"displayModeBar": False})
kec_table = budget.kecamatan_table(sim)
layout.table(kec_table, hide_index=True, width="stretch")
layout.download_buttons(kec_table, layout.file_stem(f"simulasi_kecamatan_{as_of}", through), key="anggaran_kecamatan")

st.subheader("Desa yang dibiayai")
desa_table = budget.desa_table(sim)
layout.table(desa_table, hide_index=True, width="stretch")
layout.download_buttons(desa_table, layout.file_stem(f"simulasi_desa_{as_of}", through), key="anggaran_desa")
if f.sector:
    st.caption("Filter sektor tidak berlaku di halaman ini: target dan perkiraan pekerja desa "
               "mencakup semua sektor.")
