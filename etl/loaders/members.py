"""BPJS membership export: per NIK, the membership number (KPJ), enrolment date, programs,
funding source and the month the premium is paid through.

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
- NIK (judged by the same SQL as the registration form, staging/macros.sql), NAMA optional
  (kept only in private.persons, and only for a person not known there yet: the form's data
  wins), KPJ (any text, cleaned like an NIK: apostrophe, spaces, dots, dashes removed);
- TGL_KEPESERTAAN: ISO, an Excel date cell, or day first 04/03/2024;
- PROGRAM: a list "JKK,JKM", "JKK+JKM", "JKK; JKM JHT", "JKK dan JKM", or program names
  ("Jaminan Kematian"); one unknown part rejects the row (program_unknown);
- SUMBER_DANA: APBD (also Pemda, Pemkab), APBDES (APBDes, Dana Desa, ADD, Pemdes), CSR (TJSL,
  perusahaan), MANDIRI (self-paid, sendiri, pribadi); anything else, an empty cell included, is
  kept as LAINNYA (the person is a member whoever pays) and the texts are listed in the summary
  (``funding_other_texts``) so the data officer can ask for a fix;
- IURAN_SAMPAI: 2025-10, 10/2025, 202510, "Okt 2025", "Oktober 2025", "Oct-2025", or a date
  (an Excel date cell): stored as the first day of that month;
- KODE_DESA optional: "63.11.04.2005" or "6311042005", must be a desa of the kabupaten;
- TANGGAL_DATA optional: the day the export was taken (see below).

The export's date (the day its paid-through months are known at) ends the data: months up to it
are answered, lapses included, even when the last enrolment is months earlier. It is, in order:
the load's ``--date``; the latest TANGGAL_DATA of the file; a date in the file name
(``ekspor_2026-11-30.csv``, ``peserta_20261130.xlsx``); else the day of the load. A date after
the load day is refused from ``--date`` and ignored from the file. It is recorded in meta.loads
(details ``export_date`` and ``export_date_source``), and read by etl/sql/marts/05_data_span.sql.

Members whose NIK never registered through the form are kept (they came through another
channel) and counted in the summary as ``other_channel``. How the latest export replaces an
earlier one is described in etl/sql/core/members.sql.
"""

from __future__ import annotations

import datetime as dt
import re

from ..columns import Field
from ..load_context import Counts, LoadContext
from ..readers import InputError
from .common import (decide_date_order, DESA_CODE_ALIASES, NIK_FIELD, count, first_of_month, funding_code,
                     judge_and_store, map_distinct, prepare, program_list)

FIELDS = [
    NIK_FIELD,
    Field("kpj", ("kpj", "no kpj", "nomor kpj", "nomor kepesertaan", "no kepesertaan",
                  "nomor peserta", "no peserta", "membership number", "membership no",
                  "member number", "member id"), label="KPJ",
          exclude=("tgl", "tanggal", "date")),
    Field("enrolled", ("tgl kepesertaan", "tanggal kepesertaan", "tgl terdaftar",
                       "tanggal terdaftar", "tgl daftar", "tanggal daftar", "tmt",
                       "tmt kepesertaan", "tanggal mulai", "tgl mulai", "mulai kepesertaan",
                       "enrolment date", "enrollment date", "enrolled on", "enrolled",
                       "start date", "member since"), label="TGL_KEPESERTAAN"),
    Field("programs", ("program", "programs", "jenis program", "program bpjs", "programme",
                       "benefit programs"), label="PROGRAM"),
    Field("funding", ("sumber dana", "sumber pendanaan", "pendanaan", "pembiayaan",
                      "sumber iuran", "pembayar iuran", "pembayar", "funding",
                      "funding source", "funded by", "payer"), label="SUMBER_DANA"),
    Field("paid_through", ("iuran sampai", "iuran terakhir", "bulan iuran terakhir",
                           "bulan iuran", "iuran s d", "bayar sampai", "dibayar sampai",
                           "lunas sampai", "masa iuran", "paid through", "paid until",
                           "paid up to", "premium paid through", "last paid",
                           "last paid month"), label="IURAN_SAMPAI"),
    Field("desa_code", DESA_CODE_ALIASES, required=False, label="KODE_DESA"),
    Field("export_date", ("tanggal data", "tgl data", "per tanggal", "tanggal ekspor",
                          "tgl ekspor", "tanggal tarik data", "tgl tarik data", "tanggal unduh",
                          "export date", "data date", "as of date"), required=False,
          label="TANGGAL_DATA"),
    Field("name", ("nama", "nama lengkap", "nama peserta", "nama tenaga kerja", "name",
                   "full name", "member name"), required=False, label="NAMA",
          exclude=("desa", "kecamatan", "kelurahan", "ibu", "rm", "program")),
]


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    prepare(ctx, "mem_input", FIELDS)
    dates = decide_date_order(ctx, ["enrolled"])
    map_distinct(con, "mem_input", "programs_raw", "mem_programs",
                 {"programs": lambda t: program_list(t)[0] or None,
                  "bad_part": lambda t: program_list(t)[1]})
    map_distinct(con, "mem_input", "funding_raw", "mem_funding", {"funding_source": funding_code})
    map_distinct(con, "mem_input", "paid_through_raw", "mem_months",
                 {"paid_through": first_of_month})
    accepted, stored = judge_and_store(ctx, "members", "mem_checked", "core.members")
    export_day, export_source = export_date(ctx)
    other_texts = dict(con.execute("""
        SELECT coalesce(trim(funding_raw), ''), count(*) FROM mem_accepted
        WHERE funding_source = 'LAINNYA' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20""").fetchall())
    return Counts(accepted=accepted, duplicates=accepted - stored, extra={
        "export_date": export_day.isoformat(),
        "export_date_source": export_source,
        "date_order": dates["order"], "date_order_evidence": dates["evidence"],
        "persons": count(con, "SELECT count(DISTINCT person_key) FROM mem_accepted"),
        "other_channel": count(con, """
            SELECT count(DISTINCT person_key) FROM mem_accepted
            WHERE person_key NOT IN (SELECT person_key FROM core.participants)"""),
        "funding": dict(con.execute("SELECT funding_source, count(*) FROM mem_accepted "
                                    "GROUP BY 1 ORDER BY 1").fetchall()),
        "funding_other_texts": other_texts,
        "members_current": count(con, "SELECT count(DISTINCT person_key) FROM core.members"),
    })


EXPORT_DATE_SOURCES = {"option": "--date", "column": "kolom TANGGAL_DATA",
                       "file_name": "nama berkas", "load_day": "hari pemuatan"}


def export_date(ctx: LoadContext) -> tuple[dt.date, str]:
    """(The day this export was taken, how it was known: a key of EXPORT_DATE_SOURCES)."""
    today = dt.date.today()
    given = ctx.options.get("export_date")
    if given:
        day = given if isinstance(given, dt.date) else parse_export_date(str(given))
        if day is None:
            raise InputError(f"--date '{given}' tidak dikenali: gunakan TTTT-BB-HH, misal "
                             "2026-11-30.")
        if day > today:
            raise InputError(f"--date {day.isoformat()} jatuh setelah hari ini: tanggal ekspor "
                             "tidak mungkin di masa depan.")
        return day, "option"
    if "export_date" in ctx.columns:
        texts = [r[0] for r in ctx.con.execute(
            "SELECT DISTINCT trim(export_date_raw) FROM mem_input "
            "WHERE trim(export_date_raw) <> ''").fetchall()]
        days = [d for d in map(parse_export_date, texts) if d is not None and d <= today]
        if days:
            return max(days), "column"
    day = date_in_name(ctx.source_file)
    if day is not None and day <= today:
        return day, "file_name"
    return today, "load_day"


def parse_export_date(text: str) -> dt.date | None:
    """2026-11-30, 30/11/2026, 30-11-2026, 20261130 (day first, as BPJS and Indonesian exports
    write dates), or a date cell with a time; None when it is not one real day."""
    t = re.sub(r"[ t]\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?$", "", text.strip().lower())
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{4})(\d{2})(\d{2})", "ymd"),
                           (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", "dmy")):
        m = re.fullmatch(pattern, t)
        if m:
            a, b, c = map(int, m.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def date_in_name(name: str) -> dt.date | None:
    """A full date written in a file name (2026-11-30, 2026_11_30, 20261130, 30-11-2026)."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name)
    for m in re.finditer(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)|"
                         r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)", stem):
        if m.group(1):
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        else:
            parts = (int(m.group(6)), int(m.group(5)), int(m.group(4)))
        try:
            return dt.date(*parts)
        except ValueError:
            continue
    return None
