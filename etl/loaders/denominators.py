"""Denominators: estimated workers in scope per desa and year, optionally per sector, with the
source of the estimate.

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
- the desa: KODE_DESA ("63.11.04.2005" or "6311042005"), or KECAMATAN and DESA names resolved
  through the gazetteer like the registration form's (once per distinct pair; fuzzy matches
  recorded in meta.name_matches);
- SEKTOR optional: a sector code or label (etl.sectors.sector_code); empty = all sectors;
- TAHUN: a year; ESTIMASI_PEKERJA: a whole number ("1460", "1.460", "1,460");
- SUMBER optional: where the estimate comes from.

A new file for the same (year, desa, sector) replaces the stored figure (estimates are revised;
the latest file is the current estimate); see etl/sql/core/denominators.sql. Two different
figures for the same (year, desa, sector) in one file are both quarantined
(duplicate_conflict): which one is right is not ours to guess.
"""

from __future__ import annotations

from ..columns import Field
from ..load_context import Counts, LoadContext
from ..sectors import sector_code
from .common import (PLACE_FIELDS, count, judge_and_store, map_distinct, place_rows, prepare,
                     require_place)

FIELDS = PLACE_FIELDS + [
    Field("sector", ("sektor", "sector", "lapangan usaha", "sektor pekerjaan", "bidang"),
          required=False, label="SEKTOR"),
    Field("year", ("tahun", "thn", "year", "tahun data"), label="TAHUN"),
    Field("estimate", ("estimasi pekerja", "estimasi", "perkiraan pekerja", "jumlah pekerja",
                       "pekerja", "estimated workers", "estimate", "workers", "jumlah"),
          label="ESTIMASI_PEKERJA"),
    Field("source", ("sumber", "sumber data", "source", "data source"), required=False,
          label="SUMBER"),
]


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    require_place(ctx)
    prepare(ctx, "den_input", FIELDS)
    place_rows(ctx, "den_input")
    map_distinct(con, "den_input", "sector_raw", "den_sectors", {"sector": sector_code})
    accepted, stored = judge_and_store(ctx, "denominators", "den_checked", "core.denominators")
    return Counts(accepted=accepted, duplicates=accepted - stored, extra={
        "replaced": count(con, "SELECT count(*) FROM den_replaced"),
        "desa": count(con, "SELECT count(DISTINCT desa_code) FROM den_new"),
        "years": [r[0] for r in con.execute(
            "SELECT DISTINCT year FROM den_new ORDER BY 1").fetchall()],
    })
