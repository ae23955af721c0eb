"""Peta: coverage of each kecamatan, and of the desa of a chosen kecamatan (layout only).

Drilling in and out changes the shared kecamatan filter (dashboard.filters), so the other pages
follow. Only map clicks rerun the app (st_folium returned_objects), never pans or zooms.

An RM sees the desa of their area only, straight away (no kecamatan level): a kecamatan polygon
coloured with the figures of just the part of it inside the area would read as the whole
kecamatan's coverage, while an RM's area is a handful of desa they visit one by one. The
kecamatan choice then narrows to the area's desa in that kecamatan.
"""

from functools import partial

from dashboard import registry

registry.require("peta")

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import data, filters, layout, maps, offline, places, status  # noqa: E402

latest = status.require_months()
f = filters.current()
filters.require_area(f)
as_of = f.as_of or latest
area = f.desa_codes
kecamatan = filters.area_kecamatan(area, data.kabupaten_code())
level = f.place_level
GROWTH_PERIODS = {3: "3 bulan", 6: "6 bulan", 12: "12 bulan"}


def _open_from_select():
    filters.set_kecamatan(None if st.session_state["peta_kec"] == filters.ALL
                          else st.session_state["peta_kec"])


def _open_from_click(map_key: str):
    clicked = (st.session_state.get(map_key) or {}).get("last_active_drawing") or {}
    code = (clicked.get("properties") or {}).get("kode")
    if code in kecamatan:
        filters.set_kecamatan(code)
    elif code:
        st.session_state["peta_desa"] = code   # a desa: its figures are shown under the map


st.title("Peta cakupan")
place = f.place_label
through = status.provisional_banner(as_of)
st.caption(f"{place} · per {level} · {layout.month_phrase(as_of, through)}"
           + (f" · sektor {f.sector_label}" if f.sector else ""))

c1, c2, c3 = st.columns([3, 2, 1.3], vertical_alignment="bottom")
metric = c1.radio("Ukuran yang dipetakan", list(maps.METRICS), horizontal=True, key="peta_metric",
                  format_func=lambda k: maps.METRICS[k].label)
growth_months = 3
if metric == "growth":
    growth_months = c3.selectbox("Periode pertumbuhan", list(GROWTH_PERIODS), key="peta_growth",
                                 format_func=GROWTH_PERIODS.get)
st.session_state["peta_kec"] = f.kecamatan or filters.ALL
c2.selectbox("Tampilkan desa di kecamatan", [filters.ALL, *kecamatan], key="peta_kec",
             on_change=_open_from_select,
             format_func=lambda c: "— semua kecamatan —" if c == filters.ALL else kecamatan[c])
if f.kecamatan:
    st.button("Kembali ke seluruh wilayah" if area is not None else "Kembali ke peta kabupaten",
              icon=":material/arrow_back:",
              on_click=filters.set_kecamatan, args=(None,))

figures = data.place_figures(level, as_of, kecamatan=f.kecamatan, sector=f.sector,
                             growth_months=growth_months, with_unknown=True, desa_codes=area)
polygons = data.boundary_layer(level, parent=f.kecamatan, desa_codes=area)

map_col, table_col = st.columns([1.35, 1], gap="medium")
with map_col:
    if polygons.empty:
        st.info("Batas wilayah belum dimuat, jadi peta belum dapat digambar. Muat dengan "
                "`python -m etl load boundaries BERKAS --level desa`; tabel di samping tetap "
                "berlaku.", icon=":material/map:")
    else:
        if level == "kecamatan":
            st.caption("Klik sebuah kecamatan untuk melihat desanya.")
        m = places.map_for(level, f.kecamatan, f.sector, as_of, metric, growth_months,
                           desa_codes=area)
        if not offline.installed():
            st.warning("Pustaka peta belum terpasang di server: jalankan "
                       "`python -m dashboard.offline install`.")
        map_key = f"peta_map_{f.kecamatan or 'kab'}"
        st_folium(m, key=map_key, height=620, use_container_width=True,
                  returned_objects=["last_active_drawing"],
                  on_change=partial(_open_from_click, map_key))
        chosen = figures[figures["kode"] == st.session_state.get("peta_desa")]
        if level == "desa" and len(chosen):
            st.markdown(layout.place_summary(chosen.iloc[0]))
        elif level == "desa":
            st.caption("Klik sebuah desa untuk melihat angkanya di sini.")

with table_col:
    st.markdown(f"**Tabel per {level}** (klik judul kolom untuk mengurutkan)")
    table = places.place_table(figures, growth_months)
    extra = {"growth": [c for c in table.columns if c.startswith("Pertumbuhan")],
             "lapse": ["Menunggak (%)"]}.get(metric, [])
    shown = table[[*places.SHORT_COLUMNS, *extra]]
    layout.table(layout.styled(shown), hide_index=True, width="stretch",
                 height=min(600, 38 + 35 * len(shown)))
    st.caption("Unduhan memuat semua kolom (termasuk pertumbuhan, tunggakan, dan kode wilayah).")
    layout.partial_estimate_note(figures)
    layout.unknown_place_note(figures)
    layout.download_buttons(table, layout.file_stem(f"cakupan_{level}_{as_of}", through),
                            key="peta_unduh")
