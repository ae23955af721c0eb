"""Reason codes for rejected rows and flag codes for accepted rows, with their Indonesian text.

One table so the CLI report, the quarantine export and the data-quality page say the same thing.
A reason rejects a row (it goes to meta.quarantine); a flag keeps the row and asks the verifier to
look (meta.flags).
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # identity
    "nik_missing": "NIK kosong.",
    "nik_scientific": "NIK tertulis dalam notasi ilmiah (mis. 6.31109E+15): digitnya sudah hilang, "
                      "minta NIK asli dari KTP.",
    "nik_excel_number": "NIK tersimpan sebagai angka di Excel sehingga digit ke-16 hilang; format "
                        "kolom NIK sebagai Teks lalu isi ulang dari KTP.",
    "nik_format": "NIK harus 16 digit angka.",
    "nik_region": "Kode provinsi/kabupaten/kecamatan di NIK tidak mungkin (00 atau tidak dikenal).",
    "nik_birth_date": "Tanggal lahir di dalam NIK (digit 7-12) bukan tanggal yang ada.",
    "nik_serial": "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
    "kk_missing": "Nomor KK kosong.",
    "kk_scientific": "Nomor KK tertulis dalam notasi ilmiah: digitnya sudah hilang.",
    "kk_excel_number": "Nomor KK tersimpan sebagai angka di Excel; format kolom sebagai Teks.",
    "kk_format": "Nomor KK harus 16 digit angka.",
    # dates
    "birth_date_missing": "Tanggal lahir kosong.",
    "birth_date_invalid": "Tanggal lahir bukan tanggal yang ada atau formatnya tidak dikenali.",
    "birth_date_future": "Tanggal lahir di masa depan.",
    "timestamp_invalid": "Waktu pengisian formulir tidak terbaca.",
    "date_missing": "Tanggal kosong.",
    "date_invalid": "Tanggal tidak terbaca.",
    # places
    "kecamatan_missing": "Kecamatan kosong.",
    "kecamatan_unknown": "Kecamatan tidak ditemukan di kabupaten ini.",
    "desa_missing": "Desa/kelurahan kosong.",
    "desa_unknown": "Desa/kelurahan tidak ditemukan di kecamatan tersebut.",
    "desa_code_unknown": "Kode desa tidak ada di daftar wilayah kabupaten ini.",
    # other loaders
    "status_unknown": "Status verifikasi tidak dikenali (harus TERVERIFIKASI atau DITOLAK).",
    "kpj_missing": "Nomor kepesertaan (KPJ) kosong.",
    "program_unknown": "Program tidak dikenali (JKK, JKM, JHT, JKP).",
    "funding_unknown": "Sumber dana tidak dikenali (APBD, APBDES, CSR, MANDIRI).",
    "month_invalid": "Bulan iuran tidak terbaca (format YYYY-MM).",
    "number_invalid": "Angka tidak terbaca atau negatif.",
    "year_invalid": "Tahun tidak terbaca.",
    "level_unknown": "Level target tidak dikenali (kabupaten, kecamatan, desa, sektor, rm).",
    "code_unknown": "Kode tidak dikenali untuk level ini.",
    "sector_unknown": "Sektor tidak dikenali.",
    "rm_missing": "ID RM kosong.",
    # decisions of planning meetings (etl/loaders/decisions.py)
    "place_unknown": "Kode wilayah tidak ada di kabupaten ini (kode desa, kecamatan atau "
                     "kabupaten Kemendagri, mis. 63.11.01.2002).",
    "action_unknown": "Tindakan tidak dikenali (sosialisasi, pendaftaran keliling / jemput bola, "
                      "verifikasi massal, tambahan anggaran, lainnya).",
    "owner_unknown": "Penanggung jawab tidak dikenali (ID RM seperti RM-01, Dinas, atau Desa).",
    "due_month_invalid": "Bulan jatuh tempo tidak terbaca atau tidak sesudah bulan data "
                         "keputusan (tulis seperti 2026-03).",
    "decision_differs": "Keputusan ini (rapat, tempat, sektor, tindakan, penanggung jawab, jatuh "
                        "tempo) sudah tersimpan dengan target tambahan, catatan atau bulan data "
                        "lain. Keputusan yang sudah tercatat tidak diubah dari berkas: catat "
                        "keputusan baru di halaman Rapat (atau lanjutkan yang lama) bila memang "
                        "berubah.",
    # boundaries (geo/boundaries.py)
    "boundary_unmatched": "Poligon tidak cocok dengan kode atau nama wilayah mana pun di kabupaten "
                          "ini; periksa kolom kode/nama.",
    "boundary_no_geometry": "Fitur tanpa poligon (geometri kosong, titik atau garis).",
    # any kind of file (etl/row_checks.py)
    "control_character": "Baris berisi karakter kontrol (mis. NUL) yang bukan teks; ketik ulang "
                         "nilai kolom yang disebut.",
    "value_too_long": "Isi kolom terlalu panjang untuk nilai yang wajar (mis. nama ribuan huruf: "
                      "salin-tempel yang keliru).",
    "not_data_row": "Baris jumlah, catatan atau keterangan di bawah/antara data, bukan data; tidak "
                    "dimuat.",
    "duplicate_in_file": "Baris yang sama persis muncul lebih dari sekali dalam berkas.",
    # verification, members, denominators, targets, rm-areas, claims (etl/loaders/*)
    "status_pending": "Belum ada keputusan verifikasi (status kosong, menunggu atau proses); "
                      "muat lagi setelah diputuskan.",
    "date_future": "Tanggal di masa depan.",
    "duplicate_conflict": "Hal yang sama muncul lebih dari sekali dalam berkas dengan nilai "
                          "berbeda; sisakan satu baris yang benar.",
    "period_invalid": "Bulan atau kuartal target tidak terbaca (bulan 1-12 atau namanya, kuartal "
                      "1-4), atau bulan tidak berada di kuartal tersebut.",
    "amount_invalid": "Nominal tidak terbaca, nol, negatif atau hanya perkiraan (mis. 'sekitar').",
}

FLAGS: dict[str, str] = {
    "nik_other_kabupaten": "NIK diterbitkan di kabupaten/kota lain (boleh, NIK berlaku seumur "
                           "hidup); periksa domisili.",
    "nik_birth_date_mismatch": "Tanggal lahir di NIK berbeda dengan kolom tanggal lahir.",
    "nik_sex_mismatch": "Jenis kelamin di NIK berbeda dengan kolom jenis kelamin.",
    "age_out_of_range": "Usia di luar batas kepesertaan.",
    "desa_fuzzy_match": "Nama desa/kecamatan dicocokkan dengan ejaan terdekat; periksa.",
}


# When most rows of a file fail for one of these reasons, the cause is the file, not its rows
# (etl/file_refusal.py): the load is refused as a whole with this fix. Reasons not
# listed (a pending verification, a future date, a repeated row) are about rows and never
# refuse a file, however many there are.
_FORMAT_FIX = ("Format kolom ini tidak dikenali. Ekspor ulang dari sumbernya (Google Sheets: File "
               "> Download > CSV; Excel: Simpan Sebagai CSV UTF-8) tanpa mengubah formatnya, "
               "atau tulis tanggal sebagai 23/08/2025, 2025-08-23 atau 23 Agustus 2025.")
_EXCEL_FIX = ("Berkas ini pernah dibuka dan disimpan di Excel, yang mengubah nomor 16 digit menjadi "
              "angka (digit terakhir hilang, mis. 6,31105E+15). Unduh ulang CSV langsung dari "
              "Google Sheets/formulir dan muat tanpa membukanya di Excel, atau format kolom "
              "sebagai Teks lalu isi ulang dari sumber aslinya.")
FILE_FIXES: dict[str, str] = {
    "timestamp_invalid": _FORMAT_FIX,
    "birth_date_invalid": _FORMAT_FIX,
    "date_invalid": _FORMAT_FIX,
    "month_invalid": "Bulan iuran tidak terbaca: tulis seperti 2025-10, 10/2025 atau Okt 2025.",
    "nik_scientific": _EXCEL_FIX,
    "nik_excel_number": _EXCEL_FIX,
    "kk_scientific": _EXCEL_FIX,
    "kk_excel_number": _EXCEL_FIX,
    "nik_format": "Periksa bahwa kolom NIK yang dikenali memang berisi NIK 16 digit (mungkin "
                  "kolom lain yang terbaca sebagai NIK, atau kolomnya bergeser).",
    "kk_format": "Periksa bahwa kolom KK yang dikenali memang berisi nomor KK 16 digit.",
    "nik_missing": "Kolom NIK kosong di hampir semua baris: periksa bahwa ini berkas yang benar.",
    "kecamatan_missing": "Kolom kecamatan kosong di hampir semua baris: periksa berkasnya.",
    "kecamatan_unknown": "Nama kecamatan tidak ada di kabupaten ini: periksa bahwa berkas ini "
                         "milik kabupaten yang dimuat (opsi --kabupaten).",
    "desa_unknown": "Nama desa tidak cocok dengan kecamatannya: periksa bahwa kolom desa dan "
                    "kecamatan tidak tertukar atau bergeser.",
    "desa_code_unknown": "Kode desa tidak ada di kabupaten ini: periksa bahwa berkas ini milik "
                         "kabupaten yang dimuat (opsi --kabupaten).",
    "status_unknown": "Isi kolom status tidak dikenali: gunakan TERVERIFIKASI atau DITOLAK.",
    "program_unknown": "Isi kolom program tidak dikenali: gunakan JKK, JKM, JHT atau JKP.",
    "amount_invalid": "Isi kolom nominal tidak terbaca: tulis rupiah utuh (mis. 42000000).",
    "control_character": "Berkas berisi karakter kontrol di hampir semua baris: kemungkinan "
                         "bukan teks atau pengodean salah (coba --encoding).",
}


def describe(code: str) -> str:
    """The Indonesian text of a reason or flag code (the code itself when unknown)."""
    return REASONS.get(code) or FLAGS.get(code) or code
