"""RM areas: which desa each relationship manager (RM) covers.

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
RM_ID (compared trimmed and in upper case: "rm-01" = "RM-01"), NAMA_RM optional, and the desa:
KODE_DESA ("63.11.01.2001" or "6311012001"), or KECAMATAN and DESA names resolved through the
gazetteer. One row per (RM, desa).

A desa belongs to one RM at a time, and the latest file decides: an RM listed in a file gets
exactly the desa listed for it there (its whole area is replaced), and a desa listed moves to
that RM; see etl/sql/core/rm_areas.sql. A desa listed under two RMs in one file is quarantined
for both (duplicate_conflict).
"""

from __future__ import annotations

from ..columns import Field
from ..load_context import Counts, LoadContext
from .common import PLACE_FIELDS, count, judge_and_store, place_rows, prepare, require_place

FIELDS = [
    Field("rm_id", ("rm id", "id rm", "kode rm", "rm code", "nomor rm", "no rm", "rm",
                    "relationship manager id", "id relationship manager"), label="RM_ID",
          exclude=("nama", "name")),
    Field("rm_name", ("nama rm", "nama relationship manager", "rm name", "nama", "name"),
          required=False, label="NAMA_RM", exclude=("desa", "kecamatan", "kelurahan")),
] + PLACE_FIELDS


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    require_place(ctx)
    prepare(ctx, "rm_input", FIELDS)
    place_rows(ctx, "rm_input")
    accepted, stored = judge_and_store(ctx, "rm_areas", "rm_checked", "core.rm_areas")
    return Counts(accepted=accepted, duplicates=accepted - stored, extra={
        "rms": count(con, "SELECT count(DISTINCT rm_id) FROM rm_new"),
        "removed": count(con, "SELECT count(*) FROM rm_removed"),
        "desa_moved": count(con, """
            SELECT count(*) FROM rm_removed AS r
            WHERE r.desa_code IN (SELECT desa_code FROM rm_new AS n WHERE n.rm_id <> r.rm_id)"""),
        "desa_covered": count(con, "SELECT count(DISTINCT desa_code) FROM core.rm_areas"),
    })
