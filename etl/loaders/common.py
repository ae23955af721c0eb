"""What the tabular loaders share: the cleaning macros (etl/sql/staging/macros.sql), the staging
view of a file, per-distinct-value mappings done in Python, the quarantine of a checked table, and
the parsers of values people write in many ways (months, quarters, program lists, funding
sources, rupiah amounts).

Every parser here runs once per distinct text of a column, never per row.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable

import pandas as pd
from lokal import PROVINCES, parse_rupiah

from .. import formats, gazetteer, settings
from ..columns import Field, MissingColumns
from ..db import put_frame, run_sql_file
from ..load_context import LoadContext
from ..readers import InputError

# Columns several inputs share, with the header aliases accepted for them.
NIK_FIELD = Field("nik", ("nik", "nomor induk kependudukan", "no nik", "nomor nik", "no ktp",
                          "nomor ktp", "ktp", "national id", "id number"), label="NIK",
                  exclude=("kartu keluarga", "kk"))
DESA_CODE_ALIASES = ("kode desa", "kode desa kelurahan", "kode kelurahan", "kode wilayah",
                     "kode kemendagri", "desa code", "village code", "village id")
# A desa given by its code, or by kecamatan and desa names (resolved through the gazetteer).
PLACE_FIELDS = [
    Field("desa_code", DESA_CODE_ALIASES, required=False, label="KODE_DESA"),
    Field("kecamatan", ("kecamatan", "kec", "nama kecamatan", "district", "subdistrict"),
          required=False, label="KECAMATAN", exclude=("kode", "code")),
    Field("desa", ("desa", "kelurahan", "desa kelurahan", "nama desa", "village",
                   "village name"), required=False, label="DESA",
          exclude=("kode", "code", "kecamatan", "dana")),
]


# ---------------------------------------------------------------------------------------------
# SQL plumbing

def install_macros(con) -> None:
    """Create the shared cleaning macros (clean_id, nik_reason, parse_moment, ...) on `con`."""
    put_frame(con, "nik_provinces", pd.DataFrame({"code": pd.array(list(PROVINCES), dtype="str")}))
    set_variables(con, {"month_names": list(MONTHS), "month_numbers": list(MONTHS.values())})
    run_sql_file(con, "staging/macros.sql")


def set_variables(con, values: dict) -> None:
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])


def prepare(ctx: LoadContext, view: str, fields) -> None:
    """Install the macros, set the usual variables and create `view`: _row, <field>_raw for every
    field (NULL when its optional column is absent), _number_cells."""
    install_macros(ctx.con)
    headers = {f"{f.name}_header": (ctx.raw.headers[ctx.columns[f.name]]
                                    if f.name in ctx.columns else "")
               for f in fields}
    set_variables(ctx.con, {"load_id": ctx.load_id, "kabupaten_code": ctx.kabupaten_code,
                            **headers})
    cols = ", ".join(f"{ctx.col(f.name)} AS {f.name}_raw" for f in fields)
    ctx.con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS "
                    f"SELECT _row, {cols}, _number_cells FROM {ctx.raw.table}")


# Within one column, a few rows written the other way round are typing mistakes (they fail to
# parse and are quarantined); more rows than this, and more than this share of the column's
# evidence, mean two orders were mixed and no ambiguous date of the column could be trusted.
MIXED_ORDER_ROWS = 3
MIXED_ORDER_SHARE = 0.1

ORDER_NAMES = {"dmy": "hari lebih dulu (dd/mm/yyyy)", "mdy": "bulan lebih dulu (mm/dd/yyyy)"}


def decide_date_order(ctx: LoadContext, fields: list[str], default: str = "dmy") -> dict:
    """One day/month order for the whole file, from the evidence of all its date columns
    together (etl/sql/staging/date_order.sql): the order more rows can only be read in. Sets the
    SQL variable date_order (read by parse_moment and parse_day) and returns {"order",
    "evidence"} for the load report. A column whose own evidence points the other way, or one
    column that holds both orders in many rows, refuses the file (InputError) naming rows of
    each. Without any evidence `default` applies (the setting birth_date_format for the form,
    day first for the other files)."""
    con = ctx.con
    present = [f for f in fields if f in ctx.columns]
    label = {f: ctx.raw.headers[ctx.columns[f]] for f in present}
    con.execute("SET VARIABLE date_order = ?", [default])
    if not present:
        return {"order": default, "evidence": "tidak ada kolom tanggal"}
    con.execute("CREATE OR REPLACE TEMP VIEW date_texts AS " + " UNION ALL ".join(
        f"SELECT '{f}' AS what, _row, {ctx.col(f)} AS value FROM {ctx.raw.table}"
        for f in present))
    run_sql_file(con, "staging/date_order.sql")
    rows = {r[0]: {"dmy": (r[1], r[2]), "mdy": (r[3], r[4])} for r in con.execute(
        "SELECT what, day_first, day_first_row, month_first, month_first_row "
        "FROM date_evidence WHERE day_first + month_first > 0").fetchall()}
    found = {f: rows[f] for f in present if f in rows}  # in the file's column order
    if not found:
        return {"order": default,
                "evidence": "pengaturan: tidak ada tanggal dengan hari atau bulan di atas 12 di "
                            + ", ".join(f"'{label[f]}'" for f in present)}
    total = {o: sum(e[o][0] for e in found.values()) for o in ORDER_NAMES}
    order = "dmy" if total["dmy"] >= total["mdy"] else "mdy"
    other = "mdy" if order == "dmy" else "dmy"

    def side(f, o):
        n, first_row = found[f][o]
        return f"kolom '{label[f]}' {_n(n)} baris hanya bisa {ORDER_NAMES[o]} (mis. baris " \
               f"{first_row})"

    against = [f for f in found if found[f][other][0] > found[f][order][0]]
    if against:
        backing = [f for f in found if found[f][order][0] > 0]
        raise InputError(
            f"Berkas {ctx.source_file}: kolom tanggal saling bertentangan: "
            f"{'; '.join(side(f, order) for f in backing)}; tetapi "
            f"{'; '.join(side(f, other) for f in against)}. Satu berkas ditulis dengan satu "
            "pengaturan bahasa, jadi salah satu kolom tertukar atau diketik dengan format lain. "
            "Perbaiki kolom itu lalu ekspor ulang. Tidak ada data yang dimuat.")
    for f, e in found.items():
        minority = e[other][0]
        if minority >= MIXED_ORDER_ROWS and minority > MIXED_ORDER_SHARE * (minority + e[order][0]):
            raise InputError(
                f"Berkas {ctx.source_file}: kolom '{label[f]}' memakai dua urutan tanggal "
                f"sekaligus: {side(f, order)}, {side(f, other)}, jadi tanggal seperti 03/04 "
                "tidak bisa dipastikan. Samakan format kolom itu (mis. Format > Angka > Tanggal "
                "di Google Sheets) lalu ekspor ulang. Tidak ada data yang dimuat.")
    notes = [side(f, order) + (f"; {_n(e[other][0])} baris sebaliknya tidak terbaca dan "
                               "dikarantina" if e[other][0] else "")
             for f, e in found.items() if e[order][0]]
    con.execute("SET VARIABLE date_order = ?", [order])
    return {"order": order, "evidence": "dari data: " + "; ".join(notes)}


def _n(number: int) -> str:
    return formats.fmt_int(number)


def map_distinct(con, source: str, column: str, table: str, outputs: dict[str, Callable]) -> None:
    """Temp table `table` (column, *outputs): each output function applied once per distinct
    value of `column` in `source`. Outputs are stored as text (NULL for None)."""
    values = [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {source}").fetchall()]
    data = {column: pd.array(values, dtype="str")}
    for name, func in outputs.items():
        data[name] = pd.array([_text(func(v)) for v in values], dtype="str")
    put_frame(con, table, pd.DataFrame(data))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    return str(value)


def quarantine_rejected(ctx: LoadContext, checked: str) -> None:
    """Quarantine the rows of `checked` that have a reason_code. `checked` has the columns _row,
    reason_code, reason_detail, kecamatan_code, desa_code."""
    ctx.quarantine(f"""
        SELECT r._row, r.reason_code, r.reason_detail, r.kecamatan_code, r.desa_code,
               {ctx.original_json_sql('s')}
        FROM {checked} AS r JOIN {ctx.raw.table} AS s USING (_row)
        WHERE r.reason_code IS NOT NULL""")


def require_place(ctx: LoadContext) -> None:
    """A file must say where: KODE_DESA, or both KECAMATAN and DESA; else nothing is loaded."""
    if "desa_code" in ctx.columns or {"kecamatan", "desa"} <= set(ctx.columns):
        return
    raise MissingColumns(
        f"Kolom wajib tidak ditemukan di {ctx.source_file}: KODE_DESA (atau KECAMATAN dan "
        f"DESA). Judul kolom yang ada: {'; '.join(h[:60] for h in ctx.raw.headers)}. "
        "Tidak ada data yang dimuat.")


def place_rows(ctx: LoadContext, view: str) -> None:
    """Temp table row_places (_row, kecamatan_code, desa_code, place_reason, place_method) for
    the rows of `view` (which has desa_code_raw, kecamatan_raw, desa_raw): a typed code is
    checked against core.regions (etl/sql/staging/places.sql); rows without a code are placed
    by their names, resolved once per distinct (kecamatan, desa) pair, with fuzzy and failed
    matches recorded in meta.name_matches as for the registration form."""
    con = ctx.con
    con.execute(f"CREATE OR REPLACE TEMP VIEW place_input AS "
                f"SELECT _row, desa_code_raw, kecamatan_raw, desa_raw FROM {view}")
    pairs = con.execute("""
        SELECT kecamatan_raw, desa_raw, count(*) FROM place_input
        WHERE nullif(trim(desa_code_raw), '') IS NULL GROUP BY ALL""").fetchall()
    resolver = gazetteer.Resolver(ctx.kabupaten_code, settings.get("fuzzy_min_score"))
    rows, report = [], []
    for kec, desa, n in pairs:
        if not (kec or "").strip() and not (desa or "").strip():
            rows.append((kec, desa, None, None, "unmatched", "desa_missing"))
            continue
        m = resolver.resolve(kec, desa)
        rows.append((kec, desa, m.kecamatan_code, m.desa_code, m.method, m.reason))
        if m.method in ("fuzzy", "unmatched"):
            report.append((ctx.load_id, kec, desa, m.kecamatan_code, m.desa_code, m.method,
                           m.score, m.candidates, n))
    put_frame(con, "place_names", pd.DataFrame(
        rows, columns=["kecamatan_raw", "desa_raw", "kecamatan_code", "desa_code", "method",
                       "reason"], dtype="str"))
    if report:
        con.executemany("INSERT INTO meta.name_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        report)
    run_sql_file(con, "staging/places.sql")


def judge_and_store(ctx: LoadContext, sql_name: str, checked: str, core_table: str
                    ) -> tuple[int, int]:
    """The common spine of a loader: run staging/<sql_name>.sql (which fills `checked`, one row
    per input row with reason_code NULL when accepted), quarantine the rejected rows, run
    core/<sql_name>.sql, and return (rows accepted, rows this load stored in `core_table`).
    Accepted rows not stored were known already (the loader's `duplicates`)."""
    con = ctx.con
    run_sql_file(con, f"staging/{sql_name}.sql")
    quarantine_rejected(ctx, checked)
    accepted = count(con, f"SELECT count(*) FROM {checked} WHERE reason_code IS NULL")
    run_sql_file(con, f"core/{sql_name}.sql")
    stored = count(con, f"SELECT count(*) FROM {core_table} WHERE load_id = ?", [ctx.load_id])
    return accepted, stored


def count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchall()[0][0]


# ---------------------------------------------------------------------------------------------
# Months and quarters

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        ("jan", "januari", "january"), ("feb", "peb", "februari", "pebruari", "february"),
        ("mar", "maret", "march"), ("apr", "april"), ("mei", "may"),
        ("jun", "juni", "june"), ("jul", "juli", "july"),
        ("agu", "agt", "ags", "agus", "agustus", "aug", "august"),
        ("sep", "sept", "september"), ("okt", "oktober", "oct", "october"),
        ("nov", "nop", "nopember", "november"), ("des", "desember", "dec", "december")), 1):
    for _name in _names:
        MONTHS[_name] = _number

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def month_number(text: object) -> int | None:
    """A month as 1..12 from "10", "01", "Okt", "Oktober", "October"; None when unreadable."""
    key = str(text or "").strip().lower().rstrip(".")
    if re.fullmatch(r"\d{1,2}(\.0)?", key):
        n = int(float(key))
        return n if 1 <= n <= 12 else None
    return MONTHS.get(key)


def quarter_number(text: object) -> int | None:
    """A quarter as 1..4 from "2", "Q2", "TW2", "TW II", "Triwulan II", "Kuartal 2"."""
    key = re.sub(r"^(triwulan|kuartal|quarter|tw|kw|q)\s*[.\-]?\s*", "",
                 str(text or "").strip().lower())
    if re.fullmatch(r"[1-4](\.0)?", key):
        return int(float(key))
    return _ROMAN.get(key)


def first_of_month(text: object) -> dt.date | None:
    """The month a premium is paid through, as its first day. Accepted: 2025-10, 2025/10,
    202510, 10/2025, 10-2025, 2025-10-31 (a date, e.g. an Excel date cell), 31/10/2025,
    "Okt 2025", "Oktober 2025", "Oct-2025", "okt-25". None when unreadable."""
    t = str(text or "").strip().lower()
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", t)  # the time of a date cell
    m = (re.fullmatch(r"(\d{4})[-/.](\d{1,2})", t) or re.fullmatch(r"(\d{4})(\d{2})", t)
         or re.fullmatch(r"(\d{4})-(\d{1,2})-\d{1,2}", t))
    if m:
        return _month(int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{4})", t) or re.fullmatch(
        r"\d{1,2}[-/.](\d{1,2})[-/.](\d{4})", t)
    if m:
        return _month(int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"([a-z]+)\.?[ \-/']?(\d{4}|\d{2})", t)
    if m and m.group(1) in MONTHS:
        year = int(m.group(2))
        return _month(year + 2000 if year < 100 else year, MONTHS[m.group(1)])
    return None


def _month(year: int, month: int) -> dt.date | None:
    if 1900 <= year <= 2200 and 1 <= month <= 12:
        return dt.date(year, month, 1)
    return None


# ---------------------------------------------------------------------------------------------
# BPJS programs and funding sources

PROGRAMS = ("JKK", "JKM", "JHT", "JKP")
_PROGRAM_NAMES = {
    "jkk": "JKK", "jaminan kecelakaan kerja": "JKK", "kecelakaan kerja": "JKK",
    "jkm": "JKM", "jaminan kematian": "JKM", "kematian": "JKM",
    "jht": "JHT", "jaminan hari tua": "JHT", "hari tua": "JHT",
    "jkp": "JKP", "jaminan kehilangan pekerjaan": "JKP", "kehilangan pekerjaan": "JKP",
}


def program_code(text: object) -> str | None:
    """One program from "JKM", "jkm", "Jaminan Kematian"; None when unknown."""
    key = re.sub(r"[^a-z]+", " ", str(text or "").lower()).strip()
    return _PROGRAM_NAMES.get(key)


def program_list(text: object) -> tuple[list[str], str | None]:
    """Programs of a list written "JKK,JKM", "JKK+JKM", "JKK; JKM JHT", "JKK dan JKM",
    "Jaminan Kematian, JKK" -> (codes in canonical order without repeats, None), or
    ([], the first unknown part as written) when a part is not a program, or ([], "") when the
    text is empty."""
    parts = [p.strip() for p in re.split(r"[,;+/&|]+|\bdan\b|\band\b", str(text or ""),
                                         flags=re.IGNORECASE) if p.strip()]
    if not parts:
        return [], ""
    codes = set()
    for part in parts:
        # "Jaminan Kematian" is one program; "JKM JHT" is two.
        found = [program_code(part)] if program_code(part) else [program_code(w)
                                                                    for w in part.split()]
        if None in found:
            return [], part
        codes.update(found)
    return [p for p in PROGRAMS if p in codes], None


FUNDING_SOURCES = ("APBD", "APBDES", "CSR", "MANDIRI", "LAINNYA")
_FUNDING_NAMES = {
    "APBD": ("apbd", "apbd kabupaten", "apbd kab", "apbd ii", "pemda", "pemkab",
             "pemerintah daerah", "pemerintah kabupaten"),
    "APBDES": ("apbdes", "apbdesa", "apb des", "apb desa", "dana desa", "dd", "add",
               "alokasi dana desa", "pemdes", "pemerintah desa"),
    "CSR": ("csr", "tjsl", "perusahaan", "corporate social responsibility"),
    "MANDIRI": ("mandiri", "self paid", "self", "sendiri", "pribadi", "bayar sendiri",
                "peserta", "swadaya"),
}
_FUNDING_LOOKUP = {name: code for code, names in _FUNDING_NAMES.items() for name in names}


def funding_code(text: object) -> str:
    """APBD, APBDES, CSR or MANDIRI from the ways exports write them; anything else (including
    an empty cell) is LAINNYA: the person is a member whoever pays, so the row is kept and the
    unrecognised texts are reported in the load summary."""
    key = re.sub(r"[^a-z]+", " ", str(text or "").lower()).strip()
    return _FUNDING_LOOKUP.get(key, "LAINNYA")


# ---------------------------------------------------------------------------------------------
# Money

def rupiah_amount(text: object) -> int | None:
    """Whole rupiah from "42000000", "42.000.000", "Rp42.000.000", "Rp 42.000.000,00",
    "42 juta", "42,5 juta", "Rp42jt" (lokal.parse_rupiah), or None.

    Stricter than parse_rupiah on purpose, because a paid amount must be exact: a minus sign or
    parentheses (parse_rupiah drops them), "sekitar"/"~" (approximate), digit groups split by
    spaces ("4 2 000", which it sums), and zero are all rejected."""
    raw = str(text or "").strip()
    if not raw or re.search(r"-\s*\d|\(|\)", raw) or re.search(r"\d\s+\d", raw):
        return None
    parsed = parse_rupiah(raw)
    if parsed is None or parsed.approximate or parsed.amount <= 0:
        return None
    return int(round(parsed.amount))
