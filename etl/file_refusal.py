"""Whole-file failures: when most rows of a file fail for one reason that lies in the file (a
format not understood, NIKs turned into Excel numbers, another kabupaten's places), quarantining
every row would bury the one thing to fix under thousands of rows. Such a load is refused as a
whole (InputError: exit 2, nothing changed) with the reason, a sample of rows and the fix.

The share is the setting ``file_refusal_share``; the reasons that can refuse a file, and their
fixes, are ``etl.reasons.FILE_FIXES``. A file with a few bad rows still loads and quarantines
them.
"""

from __future__ import annotations

import json

from . import formats, gazetteer, reasons, settings
from .load_context import LoadContext
from .readers import InputError

# Below this many rows a file is judged row by row: in a file of three rows "most rows" is one
# or two, and the quarantine already names each.
MIN_ROWS = 5
SAMPLE_ROWS = 5

# The fields whose values show what went wrong, per reason. Personal fields (NIK, KK, name,
# phone) are never quoted: the message is printed and logged.
_SHOWN_FIELDS = {
    "timestamp_invalid": ("timestamp",),
    "birth_date_invalid": ("birth_date",),
    "date_invalid": ("date", "enrolled", "paid_on"),
    "month_invalid": ("paid_through",),
    "kecamatan_unknown": ("kecamatan",),
    "desa_unknown": ("kecamatan", "desa"),
    "desa_code_unknown": ("desa_code",),
    "status_unknown": ("status",),
    "program_unknown": ("program", "programs"),
    "amount_invalid": ("amount",),
}


def check(ctx: LoadContext, rows_read: int, found: dict[str, int]) -> None:
    """Raise InputError when one file-level reason accounts for `file_refusal_share` of the
    rows. `found` is reason code -> quarantined rows of this load."""
    if rows_read < MIN_ROWS or not found:
        return
    code, n = max(found.items(), key=lambda kv: kv[1])
    if code not in reasons.FILE_FIXES or n < settings.get("file_refusal_share") * rows_read:
        return
    shown = [f for f in _SHOWN_FIELDS.get(code, ()) if f in ctx.columns]
    headers = [ctx.raw.headers[ctx.columns[f]] for f in shown]
    samples = []
    for row_number, original in ctx.con.execute(
            "SELECT row_number, original FROM meta.quarantine WHERE load_id = ? "
            "AND reason_code = ? ORDER BY row_number LIMIT ?",
            [ctx.load_id, code, SAMPLE_ROWS]).fetchall():
        values = json.loads(original)
        cells = ", ".join(f"{h}: '{str(values.get(h) or '')[:40]}'" for h in headers)
        samples.append(f"baris {row_number}" + (f" ({cells})" if cells else ""))
    fix = _fix(ctx, code)
    raise InputError(
        f"Berkas {ctx.source_file} ditolak seluruhnya: {_n(n)} dari {_n(rows_read)} baris "
        f"({n / rows_read:.0%}) gagal dengan alasan yang sama, {code}: {reasons.describe(code)} "
        f"Contoh: {'; '.join(samples)}. {fix} Tidak ada data yang dimuat; basis data tidak "
        "berubah.")


def _fix(ctx: LoadContext, code: str) -> str:
    if code == "kecamatan_unknown" and "kecamatan" in ctx.columns:
        pairs = ctx.con.execute(f"""
            SELECT {ctx.col('kecamatan')}, {ctx.col('desa')}, count(*)
            FROM {ctx.raw.table} WHERE _row IN (
                SELECT row_number FROM meta.quarantine WHERE load_id = ? AND reason_code = ?)
            GROUP BY ALL""", [ctx.load_id, code]).fetchall()
        return _other_kabupaten(ctx, gazetteer.kabupaten_of_places(
            pairs, exclude=ctx.kabupaten_code)) or reasons.FILE_FIXES[code]
    if code == "desa_code_unknown" and "desa_code" in ctx.columns:
        prefixes = ctx.con.execute(f"""
            SELECT left(region_code({ctx.col('desa_code')}), 5) AS kab, count(*) FROM
            {ctx.raw.table} WHERE _row IN (
                SELECT row_number FROM meta.quarantine WHERE load_id = ? AND reason_code = ?)
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""", [ctx.load_id, code]).fetchall()
        for prefix, _ in prefixes:
            try:
                kab = gazetteer.kabupaten(prefix or "")
            except gazetteer.UnknownKabupaten:
                continue
            if kab.code != ctx.kabupaten_code:
                return _other_kabupaten(ctx, [(kab.code, kab.name, 0)])
    return reasons.FILE_FIXES[code]


def _other_kabupaten(ctx: LoadContext, found: list[tuple[str, str, int]]) -> str:
    if not found:
        return ""
    here = gazetteer.kabupaten(ctx.kabupaten_code).name
    if len(found) == 1:
        code, name, _ = found[0]
        return (f"Tempat-tempat ini ada di {name} ({code}), bukan {here} "
                f"({ctx.kabupaten_code}): gunakan --kabupaten {code} (dengan basis data "
                "kabupaten itu, --db).")
    names = ", ".join(f"{name} ({code})" for code, name, _ in found[:4])
    return (f"Nama kecamatan ini tidak ada di {here} ({ctx.kabupaten_code}); nama yang sama ada "
            f"di {names}: gunakan --kabupaten dengan kode kabupaten berkas ini.")


def _n(number: int) -> str:
    return formats.fmt_int(number)
