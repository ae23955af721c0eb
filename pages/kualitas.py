"""Kualitas data: loads history, quarantine by reason and by desa, flags, unmatched names and desa
above 100% coverage (layout only; data, masking and the access log in dashboard.quality).
Person-level rows (masked) only for the data officer (admin), each view and download logged;
pimpinan sees the counts."""

from dashboard import registry

user = registry.require("kualitas")

import streamlit as st  # noqa: E402

from dashboard import data, filters, layout, quality, status  # noqa: E402
from dashboard.layout import fmt_int, fmt_month  # noqa: E402


status.require_data()
f = filters.current()
as_of = f.as_of or data.default_month()
officer = user.role == "admin"
rep = data.query(quality.officer_report if officer else quality.report, as_of)
version = data.identity()

st.title("Kualitas data")
status.provisional_banner(as_of)
if officer:
    st.caption("Untuk petugas data: apa yang dimuat, apa yang ditolak dan mengapa, apa yang harus "
               "diperbaiki di desa. NIK ditampilkan tersamar; nama, nomor KK, nomor HP, tanggal "
               "lahir, jenis kelamin dan kolom yang tidak dikenal tidak ditampilkan. Setiap "
               "tampilan dan unduhan baris per orang tercatat di log akses.")
else:
    st.caption("Ringkasan mutu data: jumlah baris yang ditolak dan ditandai per alasan dan per "
               "desa. Baris per orang hanya untuk petugas data (admin).")

loads = rep["loads"]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Berkas dimuat", fmt_int(len(loads)))
c2.metric("Baris dikarantina", fmt_int(rep["rows_total"]))
c3.metric("Baris ditandai", fmt_int(rep["flags_total"]))
c4.metric("Desa cakupan > 100%", fmt_int(len(rep["over"])))

st.subheader("Riwayat pemuatan")
layout.table(loads, hide_index=True, width="stretch")
layout.download_buttons(loads, "riwayat_pemuatan", key="kualitas_loads")

st.subheader("Baris dikarantina menurut alasan")
by_reason = rep["by_reason"]
if by_reason.empty:
    st.success("Tidak ada baris yang dikarantina.", icon=":material/check_circle:")
else:
    st.plotly_chart(quality.reasons_figure(by_reason), width="stretch",
                    config={"displayModeBar": False})
    layout.table(by_reason, hide_index=True, width="stretch")
    layout.download_buttons(by_reason, "karantina_per_alasan", key="kualitas_reason")

    st.subheader("Baris dikarantina menurut desa")
    layout.table(rep["by_place"], hide_index=True, width="stretch")
    layout.download_buttons(rep["by_place"], "karantina_per_desa", key="kualitas_place")

if officer and not by_reason.empty:
    st.subheader("Baris dikarantina (NIK tersamar)")
    if rep["rows_not_in_latest"]:
        st.caption(f"{fmt_int(rep['rows_not_in_latest'])} baris tidak ada lagi di berkas terakhir "
                   "jenisnya: sudah diperbaiki atau dihapus di sumbernya (atau berkas terakhir "
                   "hanya memuat data baru). Baris yang masih ada di berkas terakhir ditampilkan "
                   "lebih dulu.")
    counts = quality.rows_per_load(rep["by_load"])
    chosen = st.selectbox("Muatan", list(counts), key="kualitas_muatan",
                          format_func=lambda x: "Semua muatan" if x == "Semua" else f"Muatan {x}",
                          on_change=layout.reset_pager, args=("kualitas_rows_page",))
    load_id = None if chosen == "Semua" else int(chosen)
    window = layout.pager(counts[chosen], "kualitas_rows_page", quality.PAGE_ROWS)
    shown = data.query(quality.quarantine_rows, load_id, window.offset, window.limit)
    layout.table(shown, hide_index=True, width="stretch", height=360)
    quality.record_view(user, f"kualitas: baris dikarantina ({chosen}), {window.label()}",
                        len(shown), version)
    layout.prepared_downloads(
        lambda: data.query(quality.quarantine_rows, load_id),
        "karantina_tersamar" if load_id is None else f"karantina_tersamar_muatan_{load_id}",
        key="kualitas_rows", token=(chosen, version), rows=counts[chosen],
        on_download=quality.download_recorder(user, counts[chosen]))
    st.info(quality.CLI_HINT.replace("--load N", f"--load {chosen}" if chosen != "Semua"
                                     else "--load N"), icon=":material/terminal:")

st.subheader("Tanda untuk verifikator")
st.caption("Baris diterima, tetapi perlu diperiksa: NIK dari kabupaten lain (boleh, NIK berlaku "
           "seumur hidup), tanggal lahir atau jenis kelamin di NIK berbeda dengan isian, usia di "
           "luar batas, nama desa dicocokkan dengan ejaan terdekat.")
if not rep["flags_total"]:
    st.success("Tidak ada tanda.", icon=":material/check_circle:")
else:
    layout.table(rep["flag_summary"], hide_index=True, width="stretch")
    with st.expander("Baris bertanda per desa"):
        layout.table(rep["flags_by_place"], hide_index=True, width="stretch")
    layout.download_buttons(rep["flags_by_place"], "tanda_per_desa", key="kualitas_flags_desa")
    if officer:
        flags = rep["flags"]
        with st.expander(f"Baris bertanda, NIK tersamar ({fmt_int(len(flags))})"):
            window = layout.pager(len(flags), "kualitas_flags_page", quality.PAGE_ROWS)
            shown = flags.iloc[window.offset:window.stop]
            layout.table(shown, hide_index=True, width="stretch")
            quality.record_view(user, f"kualitas: baris bertanda, {window.label()}", len(shown),
                                version)
        layout.prepared_downloads(lambda: flags, "tanda_verifikator", key="kualitas_flags",
                                  token=version, rows=len(flags),
                                  on_download=quality.download_recorder(user, len(flags)))

st.subheader("Nama kecamatan/desa yang tidak cocok")
if rep["names"].empty:
    st.success("Semua nama tempat cocok dengan daftar wilayah.", icon=":material/check_circle:")
else:
    st.caption("Baris 'tidak cocok' dikarantina: perbaiki ejaannya (lihat calon terdekat) lalu "
               "muat ulang. 'Ejaan terdekat' diterima, tetapi periksa kebenarannya.")
    layout.table(rep["names"], hide_index=True, width="stretch")
    layout.download_buttons(rep["names"], "nama_tidak_cocok", key="kualitas_names")

st.subheader("Pekerjaan yang belum dikenali sektornya")
occupations = rep["occupations"]
if occupations.empty:
    st.success("Semua isian PEKERJAAN dikenali sektornya.", icon=":material/check_circle:")
else:
    st.caption(f"{fmt_int(len(occupations))} isian PEKERJAAN tidak cocok dengan kata kunci sektor "
               f"mana pun ({fmt_int(occupations['Pendaftar'].sum())} pendaftar), jadi terhitung "
               "'Lainnya'. Tambahkan kata kuncinya di berkas `sector_keywords.toml` folder "
               "konfigurasi (lihat README, bagian Pekerjaan dan sektor); berlaku pada pemuatan "
               "berikutnya.")
    layout.table(occupations, hide_index=True, width="stretch", height=300)
    layout.download_buttons(occupations, "pekerjaan_belum_dikenali", key="kualitas_occupations")

st.subheader(f"Desa dengan cakupan di atas 100% ({fmt_month(as_of)})")
if rep["over"].empty:
    st.success("Tidak ada desa dengan peserta aktif melebihi perkiraan pekerja.",
               icon=":material/check_circle:")
else:
    st.caption("Peserta aktif melebihi perkiraan jumlah pekerja: perkiraan (penyebut) perlu "
               "diperbarui. Angka tidak dipotong di halaman lain.")
    layout.table(rep["over"], hide_index=True, width="stretch")
    layout.download_buttons(rep["over"], "cakupan_di_atas_100", key="kualitas_over")
unplaced = rep["unplaced"]
if unplaced.get("total"):
    st.warning(f"{fmt_int(unplaced['total'])} peserta BPJS tidak dapat ditempatkan di desa mana "
               "pun (kode desa kosong atau di luar kabupaten): mereka terhitung di jumlah "
               "kabupaten sebagai 'wilayah tidak diketahui', tetapi tidak di kecamatan atau desa "
               "mana pun. Lengkapi KODE_DESA di data kepesertaan.",
               icon=":material/location_off:")

if officer:
    st.subheader("Log akses data pribadi")
    st.caption("Siapa melihat atau mengunduh baris per orang (halaman ini) atau mengekspor "
               "karantina lengkap (baris perintah): waktu, pengguna, alamat, data, jumlah baris. "
               f"Berkas: `{quality.access_log_path()}`.")
    layout.table(quality.access_log_rows(), hide_index=True, width="stretch", height=240)
