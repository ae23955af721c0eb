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
    # boundaries (geo/boundaries.py)
    "boundary_unmatched": "Poligon tidak cocok dengan kode atau nama wilayah mana pun di kabupaten "
                          "ini; periksa kolom kode/nama.",
    "boundary_no_geometry": "Fitur tanpa poligon (geometri kosong, titik atau garis).",
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


def describe(code: str) -> str:
    """The Indonesian text of a reason or flag code (the code itself when unknown)."""
    return REASONS.get(code) or FLAGS.get(code) or code
