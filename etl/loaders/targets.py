"""Targets: the number of protected workers to reach by the end of a period (a year, a quarter or
a month) for the kabupaten, a kecamatan, a desa, a sector or an RM's area.

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
- TAHUN; BULAN optional (1-12, "01", "Okt", "Oktober", "October"; empty = not monthly);
  KUARTAL optional (1-4, "Q2", "TW II", "Triwulan 2"; empty = not quarterly). A monthly target
  is stored with quarter NULL; a month outside the given quarter is period_invalid.
- LEVEL: kabupaten (kab, kota), kecamatan (kec), desa (kelurahan), sektor (sector), rm.
- KODE, checked per level: kabupaten = this kabupaten's code (empty allowed); kecamatan and desa
  = a code of core.regions ("63.11.04" or "631104"); sektor = a sector code or label
  (etl.sectors.sector_code); rm = an RM id of core.rm_areas when RM areas are loaded, else
  accepted and counted in the summary as ``rm_unchecked`` (load rm-areas to check them).
- TARGET: a whole number ("64000", "64.000").

Replace semantics per (year, quarter, month, level, code): see etl/sql/core/targets.sql.
"""

from __future__ import annotations

import re

from ..columns import Field
from ..load_context import Counts, LoadContext
from ..sectors import sector_code
from .common import count, judge_and_store, map_distinct, month_number, prepare, quarter_number

FIELDS = [
    Field("year", ("tahun", "thn", "year"), label="TAHUN"),
    Field("month", ("bulan", "bln", "month"), required=False, label="BULAN"),
    Field("quarter", ("kuartal", "triwulan", "quarter", "kw", "tw"), required=False,
          label="KUARTAL"),
    Field("level", ("level", "tingkat", "jenjang", "level wilayah", "tingkat wilayah",
                    "jenis target"), label="LEVEL"),
    Field("code", ("kode", "code", "kode wilayah", "kode sasaran", "kode target", "id"),
          label="KODE"),
    Field("target", ("target", "sasaran", "jumlah target", "target peserta", "target pekerja",
                     "target value"), label="TARGET", exclude=("kode", "code", "level", "jenis")),
]

LEVELS = {
    "kabupaten": ("kabupaten", "kab", "kabupaten kota", "kota", "regency"),
    "kecamatan": ("kecamatan", "kec", "subdistrict", "sub district"),
    "desa": ("desa", "kelurahan", "desa kelurahan", "kel", "village"),
    "sektor": ("sektor", "sector", "lapangan usaha"),
    "rm": ("rm", "relationship manager", "wilayah rm", "area rm"),
}
_LEVEL_LOOKUP = {name: level for level, names in LEVELS.items() for name in names}


def level_code(text: object) -> str | None:
    return _LEVEL_LOOKUP.get(re.sub(r"[^a-z]+", " ", str(text or "").lower()).strip())


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    prepare(ctx, "tgt_input", FIELDS)
    map_distinct(con, "tgt_input", "level_raw", "tgt_levels", {"level": level_code})
    map_distinct(con, "tgt_input", "month_raw", "tgt_months", {"month": month_number})
    map_distinct(con, "tgt_input", "quarter_raw", "tgt_quarters", {"quarter": quarter_number})
    map_distinct(con, "tgt_input", "code_raw", "tgt_sectors", {"sector": sector_code})
    accepted, stored = judge_and_store(ctx, "targets", "tgt_checked", "core.targets")
    return Counts(accepted=accepted, duplicates=accepted - stored, extra={
        "replaced": count(con, "SELECT count(*) FROM tgt_replaced"),
        "levels": dict(con.execute(
            "SELECT level, count(*) FROM tgt_new GROUP BY 1 ORDER BY 1").fetchall()),
        "rm_unchecked": count(con, "SELECT count(*) FROM tgt_checked "
                                   "WHERE reason_code IS NULL AND rm_unchecked"),
    })
