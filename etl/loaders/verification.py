"""Verification results: per NIK, verified or rejected, with the reason and the date.

Accepted input (headers by keyword, any case, spaces or underscores, Indonesian or English):
NIK; STATUS (TERVERIFIKASI / DITOLAK and their variants, see etl/sql/staging/verification.sql);
ALASAN (optional); TANGGAL (ISO 2024-02-27, an Excel date cell, or day first 27/02/2024).
The NIK is cleaned and judged by the same SQL as the registration form (staging/macros.sql).
A decision about an NIK that never registered through the form is kept and counted in the
summary (``not_registered``): the verifier may have worked from another list.
"""

from __future__ import annotations

from ..columns import Field
from ..load_context import Counts, LoadContext
from .common import decide_date_order, NIK_FIELD, count, judge_and_store, prepare

FIELDS = [
    NIK_FIELD,
    Field("status", ("status", "status verifikasi", "hasil verifikasi", "hasil", "keputusan",
                     "verification status", "verification result", "result", "decision"),
          label="STATUS"),
    Field("reason", ("alasan", "alasan penolakan", "keterangan", "catatan", "ket", "reason",
                     "rejection reason", "note", "notes", "remarks"), required=False,
          label="ALASAN", max_length=1000),
    Field("date", ("tanggal", "tgl", "tanggal verifikasi", "tgl verifikasi", "tanggal keputusan",
                   "date", "verified on", "verification date", "decision date", "decided on"),
          label="TANGGAL"),
]


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    prepare(ctx, "ver_input", FIELDS)
    dates = decide_date_order(ctx, ["date"])
    accepted, stored = judge_and_store(ctx, "verification", "ver_checked", "core.verifications")
    decisions = dict(con.execute(
        "SELECT status, count(*) FROM ver_accepted GROUP BY 1 ORDER BY 1").fetchall())
    not_registered = count(con, """
        SELECT count(DISTINCT person_key) FROM ver_accepted
        WHERE person_key NOT IN (SELECT person_key FROM core.participants)""")
    return Counts(accepted=accepted, duplicates=accepted - stored,
                  extra={"date_order": dates["order"], "date_order_evidence": dates["evidence"],
                         "decisions": decisions, "not_registered": not_registered,
                         "persons": count(con, "SELECT count(DISTINCT person_key) "
                                               "FROM ver_accepted")})
