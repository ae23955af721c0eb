"""Decisions of planning meetings from a spreadsheet (minutes typed into Excel, or the file of
``python -m etl export decisions`` edited and loaded back): ``python -m etl load decisions FILE``.

Accepted input (headers by keyword, any case, spaces or underscores):
- TANGGAL_RAPAT: the meeting's date (ISO, 05/08/2025 day first, an Excel date cell). Rows of one
  date are one meeting: the meeting of that date when there is one, else a new one;
- KODE: the place's Kemendagri code (desa, kecamatan or the kabupaten; "6311012002" or
  "63.11.01.2002");
- SEKTOR optional (a sector code or label, empty = every sector);
- TINDAKAN: sosialisasi, pendaftaran keliling / jemput bola, verifikasi massal, tambahan
  anggaran, lainnya (etl.decisions.action_code);
- PENANGGUNG_JAWAB: an RM id (RM-01), "Dinas", "Desa" (the decision's desa) or a desa code;
- JATUH_TEMPO: the month it is due by (2026-03, 03/2026, "Mar 2026");
- TARGET_TAMBAHAN: the expected gain, active members (a whole number, 1 or more);
- CATATAN optional; BULAN_DATA optional: the month the decision is measured from (default: the
  month before the meeting's month, the latest complete month it could see).

Rows that cannot be recorded are quarantined with their reason (place_unknown, action_unknown,
owner_unknown, due_month_invalid, date_invalid, number_invalid, sector_unknown). A row equal to
a decision already stored (same meeting date, place, sector, action, owner and due month, and
the same expected gain, note and month measured from) is known already: accepted, not stored
again. The same decision with another expected gain, note or month is quarantined
(decision_differs, saying what differs): a decision taken is not rewritten by a file, and an
edit in the spreadsheet is not dropped unseen.
"""

from __future__ import annotations

import pandas as pd

from .. import decisions
from ..columns import Field
from ..db import put_frame
from ..load_context import Counts, LoadContext
from ..sectors import sector_code
from .common import first_of_month, prepare, quarantine_rejected

FIELDS = [
    Field("held_on", ("tanggal rapat", "tgl rapat", "tanggal pertemuan", "meeting date"),
          label="TANGGAL_RAPAT", exclude=("tempo", "data")),
    Field("code", ("kode", "kode wilayah", "kode desa", "kode tempat", "code"), label="KODE",
          exclude=("rm",)),
    Field("sector", ("sektor", "sector"), required=False, label="SEKTOR"),
    Field("action", ("tindakan", "aksi", "kegiatan", "action"), label="TINDAKAN"),
    Field("owner", ("penanggung jawab", "pj", "pelaksana", "owner"), label="PENANGGUNG_JAWAB",
          exclude=("jenis",)),
    Field("due", ("jatuh tempo", "tenggat", "batas waktu", "bulan target", "due"),
          label="JATUH_TEMPO"),
    Field("expected", ("target tambahan", "tambahan peserta", "target", "expected gain"),
          label="TARGET_TAMBAHAN", exclude=("persen",)),
    Field("detail", ("catatan", "keterangan", "note"), required=False, label="CATATAN"),
    Field("baseline", ("bulan data", "bulan keputusan", "baseline"), required=False,
          label="BULAN_DATA"),
]


def _date(text) -> pd.Timestamp | None:
    value = str(text or "").strip()
    if not value:
        return None
    iso = pd.to_datetime(value, errors="coerce", format="ISO8601")
    if pd.isna(iso):
        iso = pd.to_datetime(value, errors="coerce", dayfirst=True)
    return None if pd.isna(iso) else iso


def _whole(text) -> int | None:
    value = str(text or "").strip().replace(".", "").replace(",", "").lstrip("+")
    return int(value) if value.isdigit() and int(value) >= 1 else None


def load(ctx: LoadContext) -> Counts:
    con = ctx.con
    prepare(ctx, "dec_input", FIELDS)
    rows = con.execute("SELECT _row, " + ", ".join(f"{f.name}_raw" for f in FIELDS)
                       + " FROM dec_input ORDER BY _row").fetchall()
    regions = dict(con.execute("SELECT code, level FROM core.regions").fetchall())
    rm_ids = {r[0] for r in con.execute("SELECT DISTINCT rm_id FROM core.rm_areas").fetchall()}
    meetings = {pd.Timestamp(day).date(): mid for mid, day in con.execute(
        "SELECT meeting_id, held_on FROM plan.meetings ORDER BY meeting_id").fetchall()}
    judged, accepted, stored = [], 0, 0
    for row, held, raw_code, sector, action, owner, due, expected, detail, baseline in rows:
        code = _code(raw_code, regions)
        reason = None
        day = _date(held)
        action_c = decisions.action_code(action)
        owner_c = decisions.owner_of(owner, code, rm_ids)
        due_m = first_of_month(due)
        gain = _whole(expected)
        sector_c = sector_code(sector) if str(sector or "").strip() else None
        base = first_of_month(baseline) if str(baseline or "").strip() else None
        if day is None:
            reason = ("date_invalid" if str(held or "").strip() else "date_missing", held)
        elif code is None:
            reason = ("place_unknown", raw_code)
        elif str(sector or "").strip() and sector_c is None:
            reason = ("sector_unknown", sector)
        elif action_c is None:
            reason = ("action_unknown", action)
        elif owner_c is None:
            reason = ("owner_unknown", owner)
        elif due_m is None or (str(baseline or "").strip() and base is None):
            reason = ("due_month_invalid", due if due_m is None else baseline)
        elif gain is None:
            reason = ("number_invalid", expected)
        else:
            base = base or decisions.previous_month(day.date())
            if due_m <= base:
                reason = ("due_month_invalid", f"{due} tidak sesudah bulan data {base:%Y-%m}")
        if reason:
            judged.append((row, reason[0], f"{reason[1]}"[:200], code))
            continue
        meeting_id = meetings.get(day.date())
        stored_as = [] if meeting_id is None else con.execute("""
            SELECT decision_id, expected_gain, detail, baseline_month FROM plan.decisions
            WHERE meeting_id = ? AND place_code = ? AND sector IS NOT DISTINCT FROM ?
              AND action = ? AND owner_kind = ? AND owner = ? AND due_month = ?
            ORDER BY decision_id""", [meeting_id, code, sector_c, action_c, *owner_c, due_m]
                                                               ).fetchall()
        note = str(detail or "").strip() or None
        if stored_as and not any((g, d, b) == (gain, note, base) for _, g, d, b in stored_as):
            # The same decision with another expected gain, note or month measured from: a
            # decision taken is not rewritten by a file, and the change is not dropped unseen.
            number, g, d, b = stored_as[0]
            changed = [f"target tambahan {g} (berkas: {gain})"] if g != gain else []
            changed += ["catatan"] if d != note else []
            changed += [f"bulan data {b:%Y-%m} (berkas: {base:%Y-%m})"] if b != base else []
            judged.append((row, "decision_differs",
                           f"keputusan #{number}: {', '.join(changed)}"[:200], code))
            continue
        if meeting_id is None:
            meeting_id = decisions.insert_meeting(
                con, day.date(), f"Dimuat dari berkas {ctx.source_file}", base, "berkas")
            meetings[day.date()] = meeting_id
        accepted += 1
        if stored_as:
            continue
        decision_id = decisions.insert_decision(
            con, meeting_id, code, action_c, owner_c[0], owner_c[1], due_m, gain, sector_c,
            detail, source="berkas", load_id=ctx.load_id)
        # The meeting's month is its own; a row may name a different month to measure from.
        con.execute("UPDATE plan.decisions SET baseline_month = ? WHERE decision_id = ?",
                    [base, decision_id])
        stored += 1
    if judged:
        desa = [c if c and c.count(".") == 3 else None for *_, c in judged]
        put_frame(con, "dec_checked", pd.DataFrame({
            "_row": pd.array([j[0] for j in judged], dtype="int64"),
            "reason_code": pd.array([j[1] for j in judged], dtype="str"),
            "reason_detail": pd.array([j[2] for j in judged], dtype="str"),
            "kecamatan_code": pd.array([c.rsplit(".", 1)[0] if c else None for c in desa],
                                       dtype="str"),
            "desa_code": pd.array(desa, dtype="str")}))
        quarantine_rejected(ctx, "dec_checked")
    return Counts(accepted=accepted, duplicates=accepted - stored,
                  extra={"meetings": len({m for m in meetings.values()})})


def _code(text, regions: dict[str, str]) -> str | None:
    """A Kemendagri code as stored (dotted) when it is a place of this kabupaten."""
    digits = "".join(ch for ch in str(text or "") if ch.isdigit())
    if str(text or "").strip().endswith(".0") and len(digits) in (5, 7, 11):
        digits = digits[:-1]
    cuts = {4: (2, 4), 6: (2, 4, 6), 10: (2, 4, 6, 10)}.get(len(digits))
    if cuts is None:
        return None
    parts, start = [], 0
    for end in cuts:
        parts.append(digits[start:end])
        start = end
    code = ".".join(parts)
    return code if code in regions else None
