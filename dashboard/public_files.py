"""The public page's open-data downloads: every published table in one tidy table (CSV and the
XLSX 'data' sheet) and the data dictionary, written by etl.spreadsheets (the one writer of
CSV/XLSX files). Suppressed cells stay blank with status 'disamarkan'."""

from __future__ import annotations

import pandas as pd

from etl import spreadsheets

from . import public
from .public_text import methodology


LONG_COLUMNS = {
    "tabel": "Nama tabel (lihat daftar tabel di bawah).",
    "kode": "Kode baris: kode Kemendagri wilayah, kode sektor, sumber dana, program, atau bulan.",
    "nama": "Nama baris (wilayah, sektor, sumber dana, program).",
    "kategori": "Pembagian kedua bila ada (kecamatan induk desa, tahun klaim); kosong bila tidak.",
    "ukuran": "Apa yang diukur (lihat daftar ukuran di bawah).",
    "nilai": "Angkanya. Kosong bila disamarkan atau tidak tersedia.",
    "status": "'disamarkan' (sel kecil atau sel pengaman, lihat metodologi), 'tidak tersedia' "
              "(misalnya tanpa estimasi atau target), atau kosong bila angka dipublikasikan.",
}


def long_table(data: public.PublicData) -> pd.DataFrame:
    """Every published table in one tidy table: the CSV and the XLSX 'data' sheet."""
    records = []
    for table in data.tables.values():
        ids = table.ids
        for i in table.values.index:
            key = _row_key(table, i)
            for col in table.values.columns:
                if col in ids:
                    continue
                value = table.values.at[i, col]
                hidden = bool(table.hidden.at[i, col])
                missing = value is None or pd.isna(value)
                records.append({
                    **key, "ukuran": col,
                    "nilai": None if hidden or missing else _number(value),
                    "status": "disamarkan" if hidden else "tidak tersedia" if missing else ""})
    frame = pd.DataFrame.from_records(records, columns=list(LONG_COLUMNS))
    # Whole numbers stay whole in the CSV ("21", not "21.0"); percentages keep one decimal.
    frame["nilai"] = pd.Series([r["nilai"] for r in records], dtype=object)
    return frame


def _number(value):
    f = float(value)
    return int(f) if f.is_integer() else round(f, 1)


def _row_key(table: public.Table, i) -> dict:
    v = table.values
    if table.name == "desa":
        return {"tabel": "desa", "kode": v.at[i, "kode"], "nama": v.at[i, "nama"],
                "kategori": v.at[i, "kecamatan_nama"]}
    if table.name == "klaim":
        return {"tabel": "klaim", "kode": v.at[i, "program"], "nama": v.at[i, "program"],
                "kategori": v.at[i, "tahun"]}
    if table.name == "tren":
        return {"tabel": "tren", "kode": v.at[i, "bulan"], "nama": "", "kategori": ""}
    name_col = {"kecamatan": "nama", "sektor": "sektor", "sumber_dana": "sumber_dana"}[table.name]
    return {"tabel": table.name, "kode": v.at[i, "kode"], "nama": v.at[i, name_col],
            "kategori": ""}


def dictionary(data: public.PublicData) -> pd.DataFrame:
    """The data dictionary: the columns of the download, each table, and each measure."""
    rows = [{"bagian": "kolom", "nama": k, "keterangan": v} for k, v in LONG_COLUMNS.items()]
    for table in data.tables.values():
        rows.append({"bagian": "tabel", "nama": table.name, "keterangan": table.title})
        for col in table.values.columns:
            if col not in table.ids:
                rows.append({"bagian": f"ukuran ({table.name})", "nama": col,
                             "keterangan": table.columns.get(col, "")})
    for note in methodology(data):
        rows.append({"bagian": "metodologi", "nama": "", "keterangan": note})
    return pd.DataFrame(rows)


def csv_bytes(data: public.PublicData) -> bytes:
    return spreadsheets.csv_bytes(long_table(data))


def dictionary_csv_bytes(data: public.PublicData) -> bytes:
    return spreadsheets.csv_bytes(dictionary(data))


def xlsx_bytes(data: public.PublicData) -> bytes:
    return spreadsheets.xlsx_bytes({"data": long_table(data), "kamus_data": dictionary(data)})
