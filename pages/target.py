"""Target: attainment, pace needed versus recent pace, projection and status (layout only).

Figures and rules come from dashboard.targets (over etl.metrics); an RM sees only their own area,
filtered in the data call, not in the page.
"""

from dashboard import registry

registry.require("target")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard import data, filters, layout, meetings, status, targets  # noqa: E402
from dashboard.layout import fmt_int, fmt_percent, fmt_signed  # noqa: E402


latest = status.require_months()  # stops with one sentence when nothing is loaded yet
f = filters.current()
as_of = f.as_of or latest
year = f.year or int(as_of[:4])
filters.require_area(f)  # the signed-in user's scope is decided in dashboard.filters
rm_id = f.rm_id

st.title("Target")
scope = f.area_label or f.place_label
through = status.provisional_banner(as_of)
st.caption(f"{scope} · target {year} · {layout.month_phrase(as_of, through)}")

if rm_id:
    # The decisions of planning meetings this RM owns (Rapat), measured like everything else.
    owned = data.query(meetings.owned, rm_id, as_of)
    st.subheader(f"Keputusan rapat yang Anda tangani ({len(owned)})")
    if owned.empty:
        st.caption("Belum ada keputusan rapat yang berjalan dengan Anda sebagai penanggung jawab.")
    else:
        counts = meetings.status_counts(owned)
        st.caption(", ".join(f"{n} {k}" for k, n in counts.items() if n) + ". Kenaikan bersih = "
                   "kenaikan peserta aktif dikurangi rata-rata kenaikan desa pembanding tanpa "
                   "keputusan.")
        layout.table(meetings.display_table(owned), hide_index=True, width="stretch")

table = data.query(targets.target_status, year, as_of, **f.target_scope)
if table.empty:
    st.info(f"Belum ada target untuk tahun {year}{' di wilayah ini' if rm_id else ''}. Muat "
            "target dengan `python -m etl load targets BERKAS`.", icon=":material/info:")
    st.stop()

st.markdown(targets.thresholds_text())

head = targets.headline_row(table, rm_id)
st.subheader(f"{head['nama']}: target {head['periode']} {targets.STATUS_BADGES[head['status']]}")
if head["unreachable"]:
    st.warning(f"Target {fmt_int(head['target'])} melebihi perkiraan pekerja dalam sasaran "
               f"({fmt_int(head['estimated'])}): tidak mungkin tercapai. Periksa target atau "
               "perkiraan jumlah pekerja.", icon=":material/block:")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Peserta aktif / target", f"{fmt_int(head['active'])} / {fmt_int(head['target'])}",
          delta=f"capaian {fmt_percent(head['attainment_pct'])}",
          delta_color="off", delta_arrow="off")
if head["ended"]:
    c2.metric("Periode", f"berakhir {head['periode']}", delta=head["status"],
              delta_color="off", delta_arrow="off")
    c3.metric("Laju", "-", delta="tidak dihitung untuk periode yang sudah berakhir",
              delta_color="off", delta_arrow="off")
    c4.metric("Angka akhir periode", fmt_int(head["active"]), delta_color="off",
              delta_arrow="off")
else:
    c2.metric("Laju yang diperlukan", f"{fmt_int(head['pace_needed'])} /bulan",
              delta=f"sisa {int(head['months_left'])} bulan", delta_color="off",
              delta_arrow="off")
    c3.metric("Laju 3 bulan terakhir", f"{fmt_int(head['pace_recent'])} /bulan",
              delta=f"{fmt_signed(head['pace_recent'] - head['pace_needed'])} dari yang diperlukan"
              if pd.notna(head["pace_needed"]) else None)
    c4.metric("Proyeksi akhir periode", fmt_int(head["projected"]),
              delta=f"{fmt_percent(head['projected_pct'])} dari target",
              delta_color="off", delta_arrow="off")

st.subheader("Capaian dan proyeksi terhadap target")
st.plotly_chart(targets.attainment_figure(table), width="stretch",
                config={"displayModeBar": False})
st.caption("Batang: capaian sekarang (warna = status). Belah ketupat: proyeksi akhir periode bila "
           "laju 3 bulan terakhir berlanjut. Garis putus-putus: 100% target.")

st.subheader("Laju per bulan: yang diperlukan dibanding 3 bulan terakhir")
st.plotly_chart(targets.pace_figure(table), width="stretch", config={"displayModeBar": False})

st.subheader("Rincian")
shown = targets.display_table(table)
layout.table(shown, hide_index=True, width="stretch")
layout.download_buttons(shown, layout.file_stem(f"target_{year}_{as_of}", through),
                        key="target_table")
if f.sector:
    st.caption("Filter sektor tidak berlaku di halaman ini; target per sektor ada di halaman "
               "Sektor.")
