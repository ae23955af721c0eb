"""Registrations: the Lindungi Prens form export (Google Form, CSV or Excel).

Rules (docs/rules.md §3) are applied in SQL (etl/sql/staging/registrations.sql) over the rows of
the file not judged before (registrations_incremental.py: a weekly cumulative export judges only
its new and corrected rows; place-name matches in meta.name_matches count those rows);
Python only resolves the distinct (kecamatan, desa) spellings and occupation texts, which number
in the thousands even for millions of rows.
"""

from __future__ import annotations

import pandas as pd

from .. import gazetteer, settings
from ..columns import Field
from ..db import put_frame, run_sql_file
from ..load_context import Counts, LoadContext
from ..sectors import sector_of
from . import registrations_incremental as incremental
from .common import decide_date_order, install_macros

FIELDS = [
    Field("timestamp", ("timestamp", "cap waktu", "waktu pengisian", "tanggal daftar",
                        "tanggal pendaftaran", "waktu", "submitted at"), label="Timestamp"),
    # KK before NIK: "NOMOR KARTU KELUARGA (KK)" must not be taken for the NIK column.
    Field("kk", ("nomor kartu keluarga", "no kartu keluarga", "kartu keluarga", "no kk",
                 "nomor kk", "kk", "family card"), label="NOMOR KARTU KELUARGA (KK)"),
    Field("nik", ("nomor induk kependudukan", "nik", "no nik", "nomor nik", "no ktp", "ktp",
                  "national id"), label="NOMOR INDUK KEPENDUDUKAN (NIK)",
          exclude=("kartu keluarga",)),
    Field("name", ("nama lengkap", "nama", "name", "full name"), label="NAMA LENGKAP",
          exclude=("kecamatan", "desa", "kelurahan", "ibu", "ayah", "rm")),
    Field("birth_date", ("tanggal lahir", "tgl lahir", "tgl lhr", "lahir", "date of birth",
                         "birth date", "dob"), label="TANGGAL LAHIR"),
    Field("kecamatan", ("kecamatan", "kec", "district", "subdistrict"), label="KECAMATAN"),
    Field("desa", ("desa kelurahan", "desa", "kelurahan", "kel", "village"),
          label="DESA/KELURAHAN", exclude=("kecamatan",)),
    Field("sex", ("jenis kelamin", "kelamin", "jk", "gender", "sex"), required=False,
          label="JENIS KELAMIN"),
    Field("occupation", ("pekerjaan", "jenis pekerjaan", "profesi", "mata pencaharian",
                         "occupation", "job"), required=False, label="PEKERJAAN",
          max_length=1000),
    Field("phone", ("nomor hp", "no hp", "hp", "wa", "whatsapp", "telepon", "telp",
                    "handphone", "phone"), required=False, label="NOMOR HP/WA"),
]


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW reg_input_all AS SELECT
            _row,
            {ctx.col('timestamp')} AS timestamp_raw, {ctx.col('name')} AS name_raw,
            {ctx.col('nik')} AS nik_raw, {ctx.col('kk')} AS kk_raw,
            {ctx.col('birth_date')} AS birth_raw, {ctx.col('sex')} AS sex_raw,
            {ctx.col('kecamatan')} AS kecamatan_raw, {ctx.col('desa')} AS desa_raw,
            {ctx.col('occupation')} AS occupation_raw, {ctx.col('phone')} AS phone_raw,
            _number_cells,
            getvariable('nik_header') AS nik_header, getvariable('kk_header') AS kk_header
        FROM {ctx.raw.table}""")
    _set_variables(ctx)
    install_macros(con)
    # One order for the timestamp and the birth dates: a sheet's locale writes both. Decided
    # over the whole file, seen rows too, so a weekly export decides as a first load would.
    dates = decide_date_order(ctx, ["timestamp", "birth_date"],
                              default=settings.get("birth_date_format"))
    path, judging = incremental.prepare(ctx, dates["order"])

    run_sql_file(con, "staging/registrations_distinct.sql")
    _resolve_places(ctx)
    _map_sectors(ctx)

    run_sql_file(con, "staging/registrations.sql")
    ctx.quarantine(f"""
        SELECT r._row, r.reason_code, NULL, r.kecamatan_code, r.desa_code,
               {ctx.original_json_sql('s')}
        FROM reg_clean AS r JOIN {ctx.raw.table} AS s USING (_row)
        WHERE r.reason_code IS NOT NULL""")
    incremental.quarantine_seen(ctx)
    known = path["rows_seen_accepted"]

    accepted = con.execute("SELECT count(*) FROM reg_accepted").fetchall()[0][0]
    # Known before: the NIK is already a participant, or appeared earlier in this same file.
    # = rows - people new to the database (an aggregate, no window over millions of rows).
    # A row seen accepted before is a submission already stored (incremental.py): its person is
    # a participant, so it only adds to the rows. The people already stored are found by
    # probing the stored submissions with the file's people (a weekly file's few), not by
    # grouping every stored submission.
    duplicates = con.execute("""
        SELECT (SELECT count(*) FROM reg_accepted)
             - (SELECT count(DISTINCT person_key) FROM reg_accepted)
             + (SELECT count(DISTINCT person_key) FROM core.registrations
                WHERE person_key IN (SELECT person_key FROM reg_accepted))
        """).fetchall()[0][0]
    resubmitted = con.execute("""
        SELECT count(*) FROM reg_accepted AS a
        WHERE EXISTS (SELECT 1 FROM core.registrations AS r
                      WHERE r.person_key = a.person_key AND r.submitted_at = a.submitted_at)
        """).fetchall()[0][0]
    run_sql_file(con, "core/registrations.sql")
    incremental.remember(ctx)
    flags = dict(con.execute(
        "SELECT flag_code, count(*) FROM meta.flags WHERE load_id = ? GROUP BY 1",
        [ctx.load_id]).fetchall())
    return Counts(accepted=accepted + known, duplicates=duplicates + known,
                  touched_people="reg_touched",
                  extra={"flags": flags, "same_submission_seen_before": resubmitted + known,
                         "date_order": dates["order"],
                         "date_order_evidence": dates["evidence"], "rows_path": path,
                         "judging": judging})


def _set_variables(ctx: LoadContext) -> None:
    for name, value in {
        "kabupaten_code": ctx.kabupaten_code,
        "min_age": settings.get("min_age"),
        "max_age": settings.get("max_age"),
        "load_id": ctx.load_id,
        "nik_header": ctx.raw.headers[ctx.columns["nik"]],
        "kk_header": ctx.raw.headers[ctx.columns["kk"]],
    }.items():
        ctx.con.execute(f"SET VARIABLE {name} = ?", [value])


def _resolve_places(ctx: LoadContext) -> None:
    """Resolve each distinct (kecamatan, desa) spelling once; record fuzzy and failed matches."""
    con = ctx.con
    pairs = con.execute("SELECT kecamatan_raw, desa_raw, n FROM reg_distinct "
                        "WHERE what = 'place'").fetchall()
    resolver = gazetteer.Resolver(ctx.kabupaten_code, settings.get("fuzzy_min_score"))
    rows, report = [], []
    for kec, desa, n in pairs:
        m = resolver.resolve(kec, desa)
        rows.append((kec, desa, m.kecamatan_code, m.desa_code, m.method, m.reason))
        if m.method in ("fuzzy", "unmatched"):
            report.append((ctx.load_id, kec, desa, m.kecamatan_code, m.desa_code, m.method,
                           m.score, m.candidates, n))
    frame = pd.DataFrame(rows, columns=["kecamatan_raw", "desa_raw", "kecamatan_code",
                                        "desa_code", "method", "reason"], dtype="str")
    put_frame(con, "reg_places", frame)
    if report:
        con.executemany("INSERT INTO meta.name_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        report)


def _map_sectors(ctx: LoadContext) -> None:
    con = ctx.con
    texts = [r[0] for r in con.execute(
        "SELECT occupation_raw FROM reg_distinct WHERE what = 'occupation'").fetchall()]
    frame = pd.DataFrame({"occupation_raw": texts,
                          "sector": [sector_of(t) for t in texts]}, dtype="str")
    put_frame(con, "reg_sectors", frame)
