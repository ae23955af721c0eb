"""The public transparency figures: aggregates only, every small cell suppressed.

Owns ``build(con) -> PublicData``, the tables behind the public page, its open-data downloads,
the static site and the share image. Everything is built here, from etl.metrics (coverage,
trend, targets, data date) and the named queries dashboard/queries/public_*.sql (run by
etl.queries) over marts.people and core.claims; the public path never reads private.* or
meta.quarantine. Each table goes through dashboard.disclosure before it leaves this module, and
derived figures (coverage %, target attainment, rupiah) are hidden whenever the count they come
from is hidden.

Public money (an assumption stated on the page): premiums paid = member-months of cover x the
premium per month (setting ``premium_per_month``, Rp16.800: JKK + JKM, lowest BPU bracket),
counting each member's months from the enrolment month up to the last month paid, not beyond the
data month. APBD and APBDes are public money; CSR and self-paid premiums are shown for context.

Beside it, one concern each: dashboard.public_files (the CSV/XLSX downloads and data dictionary),
dashboard.public_text (headline cards and methodology prose), dashboard.public_charts (the
page's figures); the app reads it through dashboard.data.public_figures (cached per database
version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import metrics, queries, settings
from etl.sectors import SECTOR_LABELS

from . import disclosure
from .disclosure import TOTAL_LABEL
from .layout import fmt_decimal, fmt_int

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
        return fmt_decimal(value, missing=NOT_AVAILABLE)
    return fmt_int(value, missing=NOT_AVAILABLE)


def _pct(num, den) -> float | None:
    if num is None or den is None or pd.isna(num) or pd.isna(den) or den == 0:
        return None
    return round(100.0 * float(num) / float(den), 1)


# -- building the tables ----------------------------------------------------------------------

def build(con, limit: int | None = None, premium: int | None = None) -> PublicData:
    """Every public figure at the latest data month, suppressed with threshold `limit`;
    `premium`: rupiah per worker per month (default: the setting premium_per_month)."""
    limit = disclosure.threshold() if limit is None else int(limit)
    as_of = metrics.default_month(con)   # the latest complete month
    dates = metrics.data_date(con)
    month = metrics.parse_month(as_of) if as_of else None
    out = PublicData(as_of=as_of or "", year=month.year if month else 0,
                     data_date=dates.data_date, loaded_at=dates.loaded_at, threshold=limit,
                     premium=int(settings.get("premium_per_month") if premium is None
                                 else premium),
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
    rows = queries.run(con, "public_sector_sex", {"as_of": month}, folder=QUERY_DIR)
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
    rows = queries.run(con, "public_funding",
                       {"as_of": month, "year_start": month.replace(month=1)}, folder=QUERY_DIR)
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
    rows = queries.run(con, "public_claims", {"as_of": month}, folder=QUERY_DIR)
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


