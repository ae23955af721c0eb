"""Transparansi: the public page (no login). Layout only: every number comes from
dashboard.public, already aggregated and suppressed (dashboard.disclosure)."""

from functools import partial

from dashboard import registry

registry.require("publik")

import streamlit as st  # noqa: E402

from streamlit_folium import st_folium  # noqa: E402

from dashboard import data as data_access  # noqa: E402
from dashboard import datapackage, filters, layout, public_charts, public_files  # noqa: E402
from dashboard import public_map, public_text  # noqa: E402
from dashboard.disclosure import SUPPRESSED  # noqa: E402
from dashboard.layout import fmt_date, fmt_month, fmt_rupiah  # noqa: E402

data = data_access.public_figures()
st.title(f"Transparansi perlindungan pekerja rentan · {filters.kabupaten_label()}")
if data is None or not data.as_of:
    st.info("Belum ada data yang dapat dipublikasikan.")
    st.stop()

if data.provisional_through:
    st.warning(f"Angka {fmt_month(data.as_of)} masih "
               f"{layout.provisional_text(data.provisional_through)}.",
               icon=":material/schedule:")
st.caption(f"{layout.month_phrase(data.as_of, data.provisional_through).capitalize()} "
           f"(data per {fmt_date(data.data_date)}) · hanya "
           f"angka agregat; angka di bawah {data.threshold} orang disamarkan ('{SUPPRESSED}')")
if data.estimate_note:
    st.info(data.estimate_note, icon=":material/event:")
for column, card in zip(st.columns(4), public_text.headline_cards(data)):
    column.metric(card.label, card.value, delta=card.note, delta_color="off", delta_arrow="off",
                  help=card.detail)

wilayah, sektor, tren, dana, metode, unduh = st.tabs(
    ["Wilayah", "Sektor & jenis kelamin", "Tren", "Dana & manfaat", "Metodologi", "Unduh data"])



def _open_from_click(map_key: str):
    """A click on a kecamatan opens its desa (the same choice as the desa table's list)."""
    clicked = (st.session_state.get(map_key) or {}).get("last_active_drawing") or {}
    name = kecamatan_names.get((clicked.get("properties") or {}).get("kode"))
    if name:
        st.session_state["publik_kecamatan"] = name


kecamatan_names = dict(zip(data.tables["kecamatan"].values["kode"],
                           data.tables["kecamatan"].values["nama"]))
with wilayah:
    st.subheader("Peta cakupan")
    chosen = st.session_state.get("publik_kecamatan", "Semua")
    code = next((c for c, n in kecamatan_names.items() if n == chosen), None)
    level = "desa" if code else "kecamatan"
    polygons = data_access.boundary_layer(level, parent=code)
    if polygons.empty:
        st.info("Batas wilayah belum dimuat, jadi peta belum dapat digambar; tabel di bawah "
                "tetap berlaku.", icon=":material/map:")
    else:
        if code:
            st.button("Kembali ke semua kecamatan", icon=":material/arrow_back:",
                      on_click=st.session_state.__setitem__, args=("publik_kecamatan", "Semua"))
        st.caption(f"Desa/kelurahan di Kecamatan {chosen.title()}" if code else
                   "Klik sebuah kecamatan untuk melihat desa/kelurahannya. Wilayah bergaris "
                   "putus-putus: angkanya disamarkan (sel kecil), bukan nol.")
        map_key = f"publik_peta_{code or 'kab'}"
        st_folium(public_map.folium_map(data, polygons, level, code), key=map_key,
                  height=520, use_container_width=True, returned_objects=["last_active_drawing"],
                  on_change=partial(_open_from_click, map_key))
    st.subheader("Per kecamatan, terhadap estimasi pekerja dan target")
    st.plotly_chart(public_charts.kecamatan_figure(data), width="stretch",
                    config={"displayModeBar": False})
    layout.table(data.tables["kecamatan"].display(), hide_index=True, width="stretch")
    st.subheader("Per desa/kelurahan")
    desa = data.tables["desa"].display()
    kecamatan = st.selectbox("Kecamatan", ["Semua"] + sorted(desa["Kecamatan"].dropna().unique()),
                             key="publik_kecamatan")
    if kecamatan != "Semua":
        desa = desa[desa["Kecamatan"] == kecamatan]
    layout.table(desa, hide_index=True, width="stretch", height=420)

with sektor:
    st.subheader("Peserta aktif per sektor dan jenis kelamin")
    layout.table(data.tables["sektor"].display().drop(columns="Kode"), hide_index=True,
                 width="stretch")
    st.caption("Jenis kelamin 'tidak tercatat': peserta yang terdaftar langsung di BPJS, tidak "
               "melalui formulir.")

with tren:
    st.subheader("Peserta aktif pada akhir tiap bulan")
    st.plotly_chart(public_charts.trend_figure(data), width="stretch", config={"displayModeBar": False})

with dana:
    st.subheader("Sumber dana iuran dan premi yang dibayar")
    layout.table(data.tables["sumber_dana"].display().drop(columns="Kode"), hide_index=True,
                 width="stretch")
    st.caption(f"Premi = bulan kepesertaan terbayar x {fmt_rupiah(data.premium)} per pekerja per "
               "bulan (JKK + JKM, kelas terendah). Ini perkiraan, bukan realisasi anggaran.")
    st.subheader("Manfaat yang dibayarkan")
    claims = data.tables["klaim"]
    if claims.values.empty:
        st.info("Belum ada data klaim yang dimuat.")
    else:
        layout.table(claims.display(), hide_index=True, width="stretch")

with metode:
    st.subheader("Metodologi")
    for paragraph in public_text.methodology(data):
        st.markdown(f"- {paragraph}")

with unduh:
    st.subheader("Data terbuka")
    st.markdown("Angka yang sama dengan halaman ini (sudah disamarkan), dalam satu tabel rapi: "
                "satu baris per wilayah/kategori dan ukuran. Kamus data menjelaskan setiap kolom, "
                "tabel, dan ukuran.")
    c1, c2, c3 = st.columns(3)
    stem = f"cakupan_publik_{data.as_of}"
    c1.download_button("Unduh CSV", public_files.csv_bytes(data), file_name=f"{stem}.csv",
                       mime="text/csv", key="publik_csv", icon=":material/download:",
                       width="stretch")
    c2.download_button("Unduh XLSX (dengan kamus data)", public_files.xlsx_bytes(data),
                       file_name=f"{stem}.xlsx", key="publik_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", width="stretch")
    c3.download_button("Unduh kamus data (CSV)", public_files.dictionary_csv_bytes(data),
                       file_name=f"{stem}_kamus_data.csv", mime="text/csv", key="publik_kamus",
                       icon=":material/download:", width="stretch")
    st.markdown("Untuk portal data terbuka (Satu Data Indonesia, CKAN): **Paket Data "
                "Frictionless**, satu CSV per tabel dengan skema, kamus data, lisensi, sumber, "
                "dan tanggal data dalam `datapackage.json`.")
    st.download_button("Unduh paket data (ZIP, Frictionless)", datapackage.zip_bytes(data),
                       file_name=datapackage.zip_name(data), mime="application/zip",
                       key="publik_paket", icon=":material/download:")
