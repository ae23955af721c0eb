"""The public transparency figures: aggregates only, every small cell suppressed.

Owns what the public page, its open-data downloads (CSV, XLSX, data dictionary) and the privacy
test see. Everything is built here, from etl.metrics (coverage, trend, targets, data date) and the
named queries dashboard/queries/public_*.sql over marts.people and core.claims; the public path
never reads private.* or meta.quarantine. Each table goes through dashboard.disclosure before it
leaves this module, and derived figures (coverage %, target attainment, rupiah) are hidden
whenever the count they come from is hidden.

Public money (an assumption stated on the page): premiums paid = member-months of cover x the
premium per month (setting ``premium_per_month``, Rp16.800: JKK + JKM, lowest BPU bracket),
counting each member's months from the enrolment month up to the last month paid, not beyond the
data month. APBD and APBDes are public money; CSR and self-paid premiums are shown for context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import db, formats, metrics, settings, spreadsheets
from etl.sectors import SECTOR_LABELS

from . import disclosure
from .disclosure import TOTAL_LABEL

QUERY_DIR = Path(__file__).resolve().parent / "queries"
SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan", "?": "Tidak tercatat"}
FUNDING_LABELS = {"APBD": "APBD (kabupaten)", "APBDES": "APBDes (desa)",
                  "LAINNYA": "Lainnya (CSR, mandiri)"}
PROGRAM_LABELS = {"JKM": "JKM (kematian)", "JKK": "JKK (kecelakaan kerja)", "JHT": "JHT"}
NOT_AVAILABLE = "–"


@dataclass
class Table:
    """One published table: numbers (NA: not applicable) and the mask of suppressed cells."""

    name: str
    title: str
    values: pd.DataFrame
    hidden: pd.DataFrame
    ids: list[str]                      # identifying columns (never suppressed)
    columns: dict[str, str]             # column -> meaning, for the data dictionary

    def published(self) -> pd.DataFrame:
        """Numbers with suppressed cells blank (<NA>)."""
        return self.values.mask(self.hidden)

    def display(self) -> pd.DataFrame:
        """Text for reading: '.'-grouped numbers, SUPPRESSED for hidden cells, '–' for none."""
        out = self.values.copy().astype(object)
        for col in out.columns:
            if col in self.ids:
                continue
            out[col] = [_fmt(v, col) for v in self.values[col]]
        out = out.mask(self.hidden, disclosure.SUPPRESSED)
        return out.rename(columns=_HEADERS)


@dataclass
class PublicData:
    as_of: str                       # 'YYYY-MM'
    year: int
    data_date: str | None
    loaded_at: str | None
    threshold: int
    premium: int
    kabupaten: str = ""              # Kemendagri code
    place: str = ""                  # 'Kabupaten Balangan'
    headline: dict = field(default_factory=dict)     # name -> number or None (hidden/none)
    tables: dict[str, Table] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    provisional_through: str | None = None    # the data's last day when as_of is still running
    estimate_note: str | None = None          # the estimates are another year's (see metrics)


_HEADERS = {
    "kode": "Kode", "nama": "Nama", "kecamatan_kode": "Kode kecamatan",
    "kecamatan_nama": "Kecamatan", "estimasi_pekerja": "Estimasi pekerja",
    "peserta_aktif": "Peserta aktif", "cakupan_persen": "Cakupan (%)",
    "target_tahun": "Target tahun ini", "capaian_target_persen": "Capaian target (%)",
    "sektor": "Sektor", "bulan": "Bulan", "sumber_dana": "Sumber dana",
    "premi_tahun_ini_rp": "Premi tahun ini (Rp)", "premi_kumulatif_rp": "Premi sejak awal (Rp)",
    "program": "Program", "tahun": "Tahun", "jumlah_klaim": "Jumlah klaim",
    "nilai_klaim_rp": "Nilai klaim (Rp)",
    **{f"aktif_{k}": v for k, v in SEX_LABELS.items()},
}


def _fmt(value, column: str) -> str:
    if column.endswith("_persen"):
        return formats.fmt_decimal(value, missing=NOT_AVAILABLE)
    return formats.fmt_int(value, missing=NOT_AVAILABLE)


def juta(value) -> str:
    """Rupiah in whole millions for the headline cards ('569' for Rp568.562.400); the tables
    and downloads keep full rupiah."""
    return formats.fmt_juta(value, missing=disclosure.SUPPRESSED)


def _query(con, name: str, params: dict) -> pd.DataFrame:
    text = (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")
    used = {k: v for k, v in params.items() if f"${k}" in text}
    return con.execute(text, used).df()


def _pct(num, den) -> float | None:
    if num is None or den is None or pd.isna(num) or pd.isna(den) or den == 0:
        return None
    return round(100.0 * float(num) / float(den), 1)


# -- building the tables ----------------------------------------------------------------------

def build(con, limit: int | None = None) -> PublicData:
    """Every public figure at the latest data month, suppressed with threshold `limit`."""
    limit = disclosure.threshold() if limit is None else int(limit)
    as_of = metrics.default_month(con)   # the latest complete month
    dates = metrics.data_date(con)
    month = metrics.parse_month(as_of) if as_of else None
    out = PublicData(as_of=as_of or "", year=month.year if month else 0,
                     data_date=dates.data_date, loaded_at=dates.loaded_at, threshold=limit,
                     premium=int(settings.get("premium_per_month")),
                     kabupaten=metrics.kabupaten_code(con))
    out.place = place_title(out.kabupaten)
    if month is None:
        return out
    out.provisional_through = metrics.provisional_through(con, as_of)
    targets = metrics.targets_for(con, out.year)
    targets = targets[targets["quarter"].isna() & targets["month"].isna()]
    target_of = {(r.level, r.code): int(r.target) for r in targets.itertuples()}

    _places(con, out, as_of, limit, target_of)
    _sector_sex(con, out, month, limit)
    _trend(con, out, as_of, limit)
    _funding(con, out, month, limit)
    _claims(con, out, month, limit)
    _unify_grand_total(out)
    _headline(out, target_of)
    out.sources = _sources(con)
    return out


UNKNOWN_CODE = "-"   # the code column of "wilayah tidak diketahui" in the public tables


def place_title(kabupaten: str) -> str:
    """'Kabupaten Balangan' (or 'Kota ...') for a Kemendagri code."""
    from etl import gazetteer

    name = (gazetteer.name_of(kabupaten) or kabupaten).title()
    return name if name.lower().startswith(("kab", "kota")) else f"Kabupaten {name}"


def _places(con, out: PublicData, as_of: str, limit: int, target_of: dict) -> None:
    # Coverage as etl.metrics computes it (never recomputed here); people whose desa is unknown
    # are a row of their own, so the places add up to the kabupaten's complete total.
    desa = metrics.coverage_table(con, level="desa", as_of=as_of, with_unknown=True)
    kec = metrics.coverage_table(con, level="kecamatan", as_of=as_of, with_unknown=True)
    kab_table = metrics.coverage_table(con, level="kabupaten", as_of=as_of)
    out.estimate_note = metrics.estimate_year_note(kab_table)
    kab = kab_table.iloc[0]
    desa["kode"] = desa["kode"].fillna(UNKNOWN_CODE)
    kec["kode"] = kec["kode"].fillna(UNKNOWN_CODE)
    kec_name = dict(zip(kec["kode"], kec["nama"]))
    desa = desa.assign(kecamatan_kode=desa["kode"].where(desa["kode"] == UNKNOWN_CODE,
                                                         desa["kode"].str.slice(0, 8)))
    children, parents = disclosure.protect_hierarchy(
        desa[["kecamatan_kode", "kode", "active"]], "kecamatan_kode", "kode", "active", limit)
    d = pd.DataFrame({
        "kecamatan_kode": desa["kecamatan_kode"], "kecamatan_nama": desa["kecamatan_kode"].map(kec_name),
        "kode": desa["kode"], "nama": desa["nama"],
        "estimasi_pekerja": desa["estimated_workers"].astype("Int64"),
        "peserta_aktif": desa["active"].astype("Int64"),
        "cakupan_persen": desa["coverage_pct"].astype("Float64"),
    }).reset_index(drop=True)
    hidden_active = children["hidden"].reset_index(drop=True)
    d_mask = pd.DataFrame(False, index=d.index, columns=d.columns)
    d_mask["peserta_aktif"] = hidden_active
    d_mask["cakupan_persen"] = hidden_active
    out.tables["desa"] = Table(
        "desa", "Peserta aktif per desa/kelurahan", d, d_mask,
        ["kecamatan_kode", "kecamatan_nama", "kode", "nama"], _PLACE_COLUMNS)

    k = pd.DataFrame({
        "kode": list(kec["kode"]) + [metrics.kabupaten_code(con)],
        "nama": list(kec["nama"]) + [TOTAL_LABEL],
        "estimasi_pekerja": list(kec["estimated_workers"]) + [kab["estimated_workers"]],
        "peserta_aktif": list(kec["active"]) + [kab["active"]],
        "cakupan_persen": list(kec["coverage_pct"]) + [kab["coverage_pct"]],
    })
    k["estimasi_pekerja"] = k["estimasi_pekerja"].astype("Int64")
    k["peserta_aktif"] = k["peserta_aktif"].astype("Int64")
    k["cakupan_persen"] = k["cakupan_persen"].astype("Float64")
    levels = ["kecamatan"] * len(kec) + ["kabupaten"]
    k["target_tahun"] = pd.array([target_of.get((lv, c)) for lv, c in zip(levels, k["kode"])],
                                 dtype="Int64")
    k["capaian_target_persen"] = pd.array(
        [_pct(a, t) for a, t in zip(k["peserta_aktif"], k["target_tahun"])], dtype="Float64")
    hidden_parent = dict(zip(parents["kecamatan_kode"], parents["hidden"]))
    hidden_k = [bool(hidden_parent.get(c, False)) for c in kec["kode"]] + \
        [bool(hidden_parent[TOTAL_LABEL])]
    k_mask = pd.DataFrame(False, index=k.index, columns=k.columns)
    for col in ("peserta_aktif", "cakupan_persen", "capaian_target_persen"):
        k_mask[col] = hidden_k
    out.tables["kecamatan"] = Table(
        "kecamatan", "Peserta aktif per kecamatan, terhadap estimasi pekerja dan target", k,
        k_mask, ["kode", "nama"], _PLACE_COLUMNS)


def _sector_sex(con, out: PublicData, month, limit: int) -> None:
    rows = _query(con, "public_sector_sex", {"as_of": month})
    wide = rows.pivot_table(index="sector", columns="sex", values="active", aggfunc="sum",
                            fill_value=0)
    wide = wide.reindex(index=list(SECTOR_LABELS), columns=list(SEX_LABELS), fill_value=0)
    prot = disclosure.protect_2d(wide, limit)
    values = prot.values.rename(columns={s: f"aktif_{s}" for s in SEX_LABELS}
                                ).rename(columns={TOTAL_LABEL: "peserta_aktif"})
    hidden = prot.hidden.copy()
    hidden.columns = values.columns
    codes = list(values.index)
    values = values.astype("Int64").reset_index(drop=True)
    hidden = hidden.reset_index(drop=True)
    values.insert(0, "kode", codes)
    values.insert(1, "sektor", [SECTOR_LABELS.get(c, c) for c in codes])
    hidden.insert(0, "kode", False)
    hidden.insert(1, "sektor", False)
    out.tables["sektor"] = Table(
        "sektor", "Peserta aktif per sektor dan jenis kelamin", values, hidden,
        ["kode", "sektor"], {
            "kode": "Kode sektor (Jumlah: semua sektor).",
            "sektor": "Sektor pekerjaan, dipetakan dari isian PEKERJAAN formulir; peserta dari "
                      "jalur lain tercatat 'Lainnya'.",
            **{f"aktif_{k}": f"Peserta aktif, jenis kelamin {v.lower()}."
               for k, v in SEX_LABELS.items()},
            "peserta_aktif": "Peserta aktif seluruhnya dalam sektor ini."})


def _trend(con, out: PublicData, as_of: str, limit: int) -> None:
    trend = metrics.monthly_trend(con)
    trend = trend[trend["month"].astype(str) <= as_of]   # up to the published month only
    values = pd.DataFrame({"bulan": trend["month"].astype(str),
                           "peserta_aktif": trend["active"].astype("Int64")})
    # Months are separate totals with no published sum: primary suppression is enough.
    hidden = pd.DataFrame(False, index=values.index, columns=values.columns)
    hidden["peserta_aktif"] = [disclosure.is_small(v, limit) for v in values["peserta_aktif"]]
    out.tables["tren"] = Table(
        "tren", "Peserta aktif per akhir bulan", values, hidden, ["bulan"], {
            "bulan": "Bulan (TTTT-BB); angka pada akhir bulan.",
            "peserta_aktif": "Peserta aktif pada akhir bulan (iuran terbayar untuk bulan itu)."})


def _funding(con, out: PublicData, month, limit: int) -> None:
    rows = _query(con, "public_funding", {"as_of": month,
                                          "year_start": month.replace(month=1)})
    rows = rows.set_index("funding").reindex(list(FUNDING_LABELS), fill_value=0)
    prot = disclosure.protect_series(rows["active"], limit)
    premium = out.premium
    values = pd.DataFrame({
        "kode": list(FUNDING_LABELS) + [TOTAL_LABEL],
        "sumber_dana": list(FUNDING_LABELS.values()) + [TOTAL_LABEL],
        "peserta_aktif": list(rows["active"]) + [int(rows["active"].sum())],
        "premi_tahun_ini_rp": [int(v) * premium for v in rows["member_months_year"]]
        + [int(rows["member_months_year"].sum()) * premium],
        "premi_kumulatif_rp": [int(v) * premium for v in rows["member_months_total"]]
        + [int(rows["member_months_total"].sum()) * premium],
    })
    for col in ("peserta_aktif", "premi_tahun_ini_rp", "premi_kumulatif_rp"):
        values[col] = values[col].astype("Int64")
    flags = list(prot.hidden["jumlah"])
    hidden = pd.DataFrame(False, index=values.index, columns=values.columns)
    # Rupiah follow the count's pattern: same table shape, same protection.
    for col in ("peserta_aktif", "premi_tahun_ini_rp", "premi_kumulatif_rp"):
        hidden[col] = flags
    out.tables["sumber_dana"] = Table(
        "sumber_dana", "Sumber dana iuran dan premi yang dibayar", values, hidden,
        ["kode", "sumber_dana"], {
            "kode": "Kode sumber dana.",
            "sumber_dana": "Siapa yang membayar iuran: APBD kabupaten, APBDes, atau lainnya "
                           "(CSR perusahaan, bayar sendiri).",
            "peserta_aktif": "Peserta aktif pada akhir bulan data.",
            "premi_tahun_ini_rp": "Perkiraan premi yang dibayar tahun ini: bulan kepesertaan "
                                  "terbayar (Januari s.d. bulan data) x premi per bulan.",
            "premi_kumulatif_rp": "Perkiraan premi yang dibayar sejak awal program: bulan "
                                  "kepesertaan terbayar s.d. bulan data x premi per bulan."})


def _claims(con, out: PublicData, month, limit: int) -> None:
    rows = _query(con, "public_claims", {"as_of": month})
    if rows.empty:
        values = pd.DataFrame({"program": pd.Series(dtype="str"), "tahun": pd.Series(dtype="str"),
                               "jumlah_klaim": pd.Series(dtype="Int64"),
                               "nilai_klaim_rp": pd.Series(dtype="Int64")})
        hidden = pd.DataFrame(False, index=values.index, columns=values.columns)
    else:
        counts = rows.pivot_table(index="program", columns="year", values="claims",
                                  aggfunc="sum", fill_value=0)
        amounts = rows.pivot_table(index="program", columns="year", values="amount",
                                   aggfunc="sum", fill_value=0)
        prot = disclosure.protect_2d(counts, limit)
        amount_all = disclosure.with_margins(amounts)
        records, flags = [], []
        for program in prot.values.index:
            for year in prot.values.columns:
                records.append({
                    "program": PROGRAM_LABELS.get(program, program),
                    "tahun": str(year),
                    "jumlah_klaim": int(prot.values.at[program, year]),
                    "nilai_klaim_rp": int(amount_all.at[program, year])})
                flags.append(bool(prot.hidden.at[program, year]))
        values = pd.DataFrame(records)
        values["jumlah_klaim"] = values["jumlah_klaim"].astype("Int64")
        values["nilai_klaim_rp"] = values["nilai_klaim_rp"].astype("Int64")
        hidden = pd.DataFrame(False, index=values.index, columns=values.columns)
        hidden["jumlah_klaim"] = flags
        hidden["nilai_klaim_rp"] = flags      # a rupiah amount reveals the count it sums
    out.tables["klaim"] = Table(
        "klaim", "Manfaat yang dibayarkan (klaim JKM dan JKK)", values, hidden,
        ["program", "tahun"], {
            "program": "Program jaminan: JKM (kematian), JKK (kecelakaan kerja).",
            "tahun": "Tahun pembayaran klaim (Jumlah: semua tahun).",
            "jumlah_klaim": "Banyaknya klaim yang dibayarkan.",
            "nilai_klaim_rp": "Nilai manfaat yang dibayarkan, rupiah."})


_PLACE_COLUMNS = {
    "kecamatan_kode": "Kode Kemendagri kecamatan.",
    "kecamatan_nama": "Nama kecamatan.",
    "kode": "Kode Kemendagri wilayah (desa/kelurahan, kecamatan, atau kabupaten untuk Jumlah).",
    "nama": "Nama wilayah.",
    "estimasi_pekerja": "Estimasi pekerja rentan dalam sasaran (data sosial-ekonomi, data desa, "
                        "atau estimasi BPS), tahun data terbaru.",
    "peserta_aktif": "Pekerja terlindungi: peserta BPJS Ketenagakerjaan dengan iuran terbayar "
                     "untuk bulan data.",
    "cakupan_persen": "Cakupan = peserta aktif / estimasi pekerja x 100.",
    "target_tahun": "Target jumlah pekerja terlindungi untuk tahun berjalan.",
    "capaian_target_persen": "Capaian = peserta aktif / target tahun x 100.",
}


def _unify_grand_total(out: PublicData) -> None:
    """The kabupaten's active total appears in several tables: hidden in one, hidden in all."""
    spots = [("kecamatan", out.tables["kecamatan"].values.index[-1], "peserta_aktif"),
             ("sektor", out.tables["sektor"].values.index[-1], "peserta_aktif"),
             ("sumber_dana", out.tables["sumber_dana"].values.index[-1], "peserta_aktif")]
    trend = out.tables["tren"]
    if len(trend.values):
        spots.append(("tren", trend.values.index[-1], "peserta_aktif"))
    if any(bool(out.tables[t].hidden.at[i, c]) for t, i, c in spots):
        for t, i, c in spots:
            table = out.tables[t]
            for col in table.values.columns:
                if col not in table.ids and (t != "tren" or col == c):
                    table.hidden.at[i, col] = True


def _headline(out: PublicData, target_of: dict) -> None:
    kab = out.tables["kecamatan"]
    last = kab.values.index[-1]
    pub = kab.published()
    fund = out.tables["sumber_dana"].published().set_index("kode")
    public_money = None
    if pd.notna(fund.at["APBD", "premi_tahun_ini_rp"]) and \
            pd.notna(fund.at["APBDES", "premi_tahun_ini_rp"]):
        public_money = int(fund.at["APBD", "premi_tahun_ini_rp"]
                           + fund.at["APBDES", "premi_tahun_ini_rp"])
    claims = out.tables["klaim"]
    claims_pub = claims.published()
    totals = claims_pub[claims_pub["tahun"] == TOTAL_LABEL]
    grand = totals[totals["program"] == TOTAL_LABEL]
    out.headline = {
        "peserta_aktif": _opt(pub.at[last, "peserta_aktif"]),
        "estimasi_pekerja": _opt(kab.values.at[last, "estimasi_pekerja"]),
        "cakupan_persen": _opt(pub.at[last, "cakupan_persen"], float),
        "target_tahun": _opt(kab.values.at[last, "target_tahun"]),
        "capaian_target_persen": _opt(pub.at[last, "capaian_target_persen"], float),
        "premi_publik_tahun_ini_rp": public_money,
        "jumlah_klaim": _opt(grand["jumlah_klaim"].iloc[0]) if len(grand) else 0,
        "nilai_klaim_rp": _opt(grand["nilai_klaim_rp"].iloc[0]) if len(grand) else 0,
    }


def _opt(value, kind=int):
    return None if value is None or pd.isna(value) else kind(value)


def _sources(con) -> list[str]:
    rows = con.execute("SELECT DISTINCT source FROM marts.denominators WHERE source IS NOT NULL "
                       "ORDER BY 1").fetchall()
    return [r[0] for r in rows]


# -- downloads ----------------------------------------------------------------------------------

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


def long_table(data: PublicData) -> pd.DataFrame:
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


def _row_key(table: Table, i) -> dict:
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


def dictionary(data: PublicData) -> pd.DataFrame:
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


def csv_bytes(data: PublicData) -> bytes:
    return spreadsheets.csv_bytes(long_table(data))


def dictionary_csv_bytes(data: PublicData) -> bytes:
    return spreadsheets.csv_bytes(dictionary(data))


def xlsx_bytes(data: PublicData) -> bytes:
    return spreadsheets.xlsx_bytes({"data": long_table(data), "kamus_data": dictionary(data)})


# -- headline cards -------------------------------------------------------------------------

@dataclass
class Card:
    label: str
    value: str
    note: str | None = None          # the line under the value
    detail: str | None = None        # the full figure (help text)


def headline_cards(data: PublicData) -> list[Card]:
    """The four headline figures as the page, the static site and the share image print them."""
    from etl.formats import fmt_int, fmt_month, fmt_rupiah

    h = data.headline

    def num(value) -> str:
        return disclosure.SUPPRESSED if value is None else fmt_int(value)

    coverage = None
    if h.get("cakupan_persen") is not None:
        coverage = (f"cakupan {formats.fmt_percent(h['cakupan_persen'])} dari "
                    f"{fmt_int(h['estimasi_pekerja'])}")
    attained = None
    if h.get("capaian_target_persen") is not None:
        attained = f"tercapai {formats.fmt_percent(h['capaian_target_persen'])}"
    return [
        Card("Pekerja terlindungi", num(h.get("peserta_aktif")), coverage),
        Card(f"Target {data.year}",
             fmt_int(h["target_tahun"]) if h.get("target_tahun") else "belum ada", attained),
        Card(f"Premi publik {data.year}", juta(h.get("premi_publik_tahun_ini_rp")),
             "juta Rp · APBD + APBDes",
             f"{fmt_rupiah(h.get('premi_publik_tahun_ini_rp'))}, Januari s.d. "
             f"{fmt_month(data.as_of)}; lihat Metodologi."),
        Card("Manfaat dibayar", juta(h.get("nilai_klaim_rp")),
             f"juta Rp · {num(h.get('jumlah_klaim'))} klaim JKM/JKK",
             f"{fmt_rupiah(h.get('nilai_klaim_rp'))} sejak awal program."),
    ]


# -- methodology ----------------------------------------------------------------------------

def methodology(data: PublicData) -> list[str]:
    """The methodology note, one paragraph per item (Indonesian)."""
    premium = formats.fmt_rupiah(data.premium)
    sources = "; ".join(data.sources) if data.sources else "belum dimuat"
    return [
        f"Data per tanggal {data.data_date or '-'} (bulan data {data.as_of or '-'}; dimuat "
        f"{data.loaded_at or '-'}).",
        "Pekerja terlindungi (peserta aktif): pekerja rentan yang terdaftar sebagai peserta BPJS "
        "Ketenagakerjaan (Bukan Penerima Upah) dan iurannya terbayar untuk bulan data. Sumber: "
        "pendaftaran Lindungi Prens, hasil verifikasi, dan ekspor kepesertaan BPJS "
        "Ketenagakerjaan.",
        "Cakupan = peserta aktif / estimasi pekerja rentan dalam sasaran x 100. Sumber estimasi: "
        f"{sources}." + (f" {data.estimate_note}" if data.estimate_note else ""),
        f"Premi yang dibayar adalah perkiraan: bulan kepesertaan yang terbayar (dari bulan "
        f"pendaftaran sampai bulan terakhir yang dibayar, paling jauh bulan data) x premi "
        f"{premium} per pekerja per bulan (JKK + JKM, kelas iuran BPU terendah). Iuran yang "
        "dibayar di muka setelah bulan data tidak dihitung. APBD dan APBDes adalah uang publik.",
        "Manfaat yang dibayarkan: klaim JKM (kematian) dan JKK (kecelakaan kerja) menurut data "
        "klaim BPJS Ketenagakerjaan, hanya pada tingkat kabupaten.",
        f"Pengendalian pengungkapan statistik: angka di bawah {data.threshold} orang (kecuali 0) "
        f"disamarkan (tanda '{disclosure.SUPPRESSED}'), dan sel lain ikut disamarkan bila angka "
        "tersamar dapat dihitung kembali dari jumlah baris atau kolom. Angka 0 ditampilkan: "
        "artinya belum ada pekerja terlindungi di kelompok itu, bukan data tentang seseorang. "
        "Persentase dan rupiah disamarkan bila jumlah orangnya disamarkan.",
        "Halaman ini hanya memuat angka agregat: tidak ada NIK, nomor KK, nama, nomor telepon, "
        "tanggal lahir, atau alamat.",
    ]


# -- cached access for the page -------------------------------------------------------------

def load() -> PublicData | None:
    """The public figures of the live database (None when there is no database yet), cached
    per version of the database file and threshold."""
    path = Path(settings.get("db"))
    ident = db.file_identity(path)
    if ident is None:
        return None
    return _cached(str(path), ident, disclosure.threshold(), int(settings.get("premium_per_month")))


def _cached_impl(path: str, ident, limit: int, premium: int) -> PublicData:
    con = db.connect_readonly(path)
    try:
        return build(con, limit)
    finally:
        con.close()


try:
    import streamlit as _st

    _cached = _st.cache_data(max_entries=4, show_spinner=False)(_cached_impl)
except ImportError:  # pragma: no cover - streamlit is a dependency of the dashboard
    _cached = _cached_impl


# -- figures -----------------------------------------------------------------------------------

def kecamatan_figure(data: PublicData):
    """Bar chart of protected workers per kecamatan (suppressed bars left out)."""
    import plotly.graph_objects as go

    table = data.tables["kecamatan"]
    pub = table.published().iloc[:-1]
    fig = go.Figure(go.Bar(x=pub["nama"].str.title(), y=pub["peserta_aktif"].astype("Float64"),
                           marker_color="#0b6e4f", name="Peserta aktif"))
    if pub["target_tahun"].notna().any():
        fig.add_trace(go.Scatter(x=pub["nama"].str.title(), y=pub["target_tahun"].astype("Float64"),
                                 mode="markers", marker=dict(symbol="line-ew-open", size=28,
                                                             color="#c0392b", line_width=3),
                                 name="Target tahun ini"))
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=10, b=10), yaxis_title="Orang",
                      legend=dict(orientation="h", y=1.1))
    return fig


def trend_figure(data: PublicData):
    """Protected workers at each month end, with the year's kabupaten target as a line."""
    import plotly.graph_objects as go

    pub = data.tables["tren"].published()
    fig = go.Figure(go.Scatter(x=pub["bulan"], y=pub["peserta_aktif"].astype("Float64"),
                               mode="lines", line=dict(color="#0b6e4f", width=3),
                               name="Peserta aktif"))
    target = data.headline.get("target_tahun")
    if target:
        fig.add_hline(y=target, line_dash="dash", line_color="#c0392b",
                      annotation_text=f"Target {data.year}")
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=10, b=10), yaxis_title="Orang")
    return fig
