"""Claims paid: benefits (JKM, JKK, JHT, JKP) paid per desa, for the public transparency page
(published aggregated only).

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
- the desa: KODE_DESA, or KECAMATAN and DESA names resolved through the gazetteer;
- PROGRAM: JKM, JKK, JHT, JKP or the program's name ("Jaminan Kematian");
- TANGGAL_BAYAR: ISO, an Excel date cell, or day first 21/05/2024; not in the future;
- NOMINAL: whole rupiah as people write it, read by lokal.parse_rupiah once per distinct text
  ("42000000", "42.000.000", "Rp42.000.000", "Rp 42.000.000,00", "42 juta", "42,5 juta",
  "Rp42jt"); negative, zero, approximate ("sekitar 42 juta") or garbled amounts are rejected
  (etl.loaders.common.rupiah_amount says why parse_rupiah alone is not enough);
- NIK optional: judged like every NIK (staging/macros.sql) and stored only as person_key.

How a file that repeats earlier claims is handled: etl/sql/core/claims.sql.
"""

from __future__ import annotations

import dataclasses

from ..columns import Field
from ..load_context import Counts, LoadContext
from .common import (decide_date_order, NIK_FIELD, PLACE_FIELDS, count, judge_and_store, map_distinct, place_rows,
                     prepare, program_code, require_place, rupiah_amount)

FIELDS = PLACE_FIELDS + [
    Field("program", ("program", "jenis program", "program klaim", "jenis klaim",
                      "jenis manfaat", "manfaat", "benefit", "claim type", "program type"),
          label="PROGRAM"),
    Field("paid_on", ("tanggal bayar", "tgl bayar", "tanggal pembayaran", "tgl pembayaran",
                      "tanggal dibayar", "tanggal klaim", "tgl klaim", "tanggal", "tgl",
                      "paid on", "payment date", "date paid", "date"), label="TANGGAL_BAYAR"),
    Field("amount", ("nominal", "nominal klaim", "jumlah bayar", "jumlah klaim",
                     "jumlah manfaat", "nilai", "besaran", "jumlah", "amount", "paid amount",
                     "rupiah"), label="NOMINAL"),
    dataclasses.replace(NIK_FIELD, required=False),
]


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    require_place(ctx)
    prepare(ctx, "clm_input", FIELDS)
    dates = decide_date_order(ctx, ["paid_on"])
    place_rows(ctx, "clm_input")
    map_distinct(con, "clm_input", "program_raw", "clm_programs", {"program": program_code})
    map_distinct(con, "clm_input", "amount_raw", "clm_amounts", {"amount": rupiah_amount})
    accepted, stored = judge_and_store(ctx, "claims", "clm_checked", "core.claims")
    return Counts(accepted=accepted, duplicates=accepted - stored, extra={
        "date_order": dates["order"], "date_order_evidence": dates["evidence"],
        "programs": dict(con.execute("SELECT program, count(*) FROM clm_accepted "
                                     "GROUP BY 1 ORDER BY 1").fetchall()),
        "amount_total": count(con, "SELECT coalesce(sum(amount), 0) FROM clm_accepted"),
        "with_nik": count(con, "SELECT count(*) FROM clm_accepted "
                               "WHERE person_key IS NOT NULL"),
    })
