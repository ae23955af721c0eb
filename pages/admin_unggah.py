"""Unggah data (admin): load a file with the real loaders and see what happened. Layout only."""

from dashboard import registry

registry.require("unggah")

import streamlit as st  # noqa: E402

from dashboard import layout, uploads  # noqa: E402
from dashboard.layout import fmt_int  # noqa: E402

st.title("Unggah data")
st.caption("Berkas dimuat dengan pemuat yang sama seperti perintah `python -m etl load`. Baris "
           "yang ditolak masuk karantina beserta alasannya; berkas yang sama tidak dimuat dua "
           "kali. Satu pemuatan pada satu waktu.")

kinds = uploads.kinds()
kind = st.selectbox("Jenis berkas", list(kinds), format_func=kinds.get, key="unggah_jenis")
upload = st.file_uploader("Berkas", key="unggah_berkas",
                          type=["csv", "txt", "xlsx", "xls", "geojson", "json", "gpkg", "zip"])
left, right = st.columns(2)
sheet = level = None
if kind == "boundaries":
    level = right.selectbox("Tingkat poligon", ["", "kabupaten", "kecamatan", "desa"],
                            format_func=lambda v: v or "deteksi otomatis dari kode",
                            key="unggah_level")
else:
    sheet = left.text_input("Lembar Excel (kosongkan bila hanya satu)", key="unggah_sheet")

if st.button("Muat berkas", type="primary", disabled=upload is None, key="unggah_muat"):
    try:
        with st.spinner("Memuat ..."):
            summary = uploads.load_upload(kind, upload.name, upload.getvalue(), sheet=sheet,
                                          level=level)
    except uploads.Busy as exc:
        st.warning(str(exc))
    except Exception as exc:  # the loaders' messages are written for the data officer
        st.error(f"Berkas tidak dimuat, tidak ada yang berubah: {exc}")
    else:
        if summary.already_loaded:
            st.info(f"Berkas {summary.file} sudah pernah dimuat (isi sama persis); tidak ada "
                    "yang berubah.")
        else:
            st.success(f"Berkas {summary.file} dimuat sebagai '{kinds[kind]}' "
                       f"(muatan #{summary.load_id}).")
            c1, c2, c3, c4 = st.columns(4)
            c1.metric("Baris dibaca", fmt_int(summary.rows_read))
            c2.metric("Diterima", fmt_int(summary.accepted))
            c3.metric("Dikarantina", fmt_int(summary.quarantined))
            c4.metric("Sudah dikenal", fmt_int(summary.duplicates))
            if summary.quarantined:
                st.subheader("Karantina per alasan")
                layout.table(uploads.reasons_table(summary), hide_index=True, width="stretch")
                st.caption("Perbaiki baris karantina di halaman Kualitas data atau dengan "
                           f"`python -m etl export quarantine --load {summary.load_id}`, lalu "
                           "muat ulang berkas perbaikannya.")
            if summary.columns:
                with st.expander("Kolom yang dikenali"):
                    st.json(summary.columns)
