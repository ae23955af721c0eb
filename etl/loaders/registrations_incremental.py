"""Next week's cumulative form export judges only the rows it has not seen.

The office loads the form's cumulative export every week: last week's rows again, a few percent
new ones, a few corrected. The rules (docs/rules.md §3) give a row the same verdict whenever its
values and the judging context are the same, so a row seen before is not judged again:

* A row's fingerprint is 128 bits: two 64-bit hash chains over its values as the loader reads
  them (the mapped columns, the number-cell marks), each started from half of a key-derived
  salt (etl.identity.row_salt). NULL and empty text hash differently.
  meta.registration_rows holds the fingerprints of the rows accepted, meta.registration_rejects
  those of the rows rejected with their verdict.
* The judging context is everything else a verdict depends on: the settings (ages, date format,
  fuzzy score), the kabupaten and its gazetteer, the column mapping, the day/month order decided
  for this file (over all its rows, as a first load decides) and the code of the rules. It is
  recorded in meta.loads.details.judging; when it differs from the latest registrations load's,
  both stores are emptied and every row is judged (the full path; the load report says why).
* A row seen accepted is a submission stored already (the same person at the same timestamp is
  the same submission, core/registrations.sql): judging it again would skip it, so it is counted
  as accepted and as a repeat, and nothing is written. A row seen rejected is quarantined again
  in this load, with its stored verdict and its original from this file, as judging it again
  would. So the database after the load is the one judging every row would give (tests/pipeline/
  test_incremental.py compares them).
* A corrected row has other values, so a new fingerprint, and is judged: a correction with a new
  timestamp is a new submission (the newest gives the person's place, occupation, sex); one that
  keeps the timestamp of a stored submission is that submission seen again, as before.
  A row removed from the export removes nothing (submissions are kept, as with a full judging).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import lokal

from .. import gazetteer, identity, settings
from ..queries import SQL_DIR
from ..load_context import LoadContext

# What the verdict of a row is computed by: a change of any of them judges every row again.
# (files, not imports: the loader imports this module), this module's own fingerprint too.
_HERE = Path(__file__).resolve().parent
_RULE_FILES = [SQL_DIR / "staging" / n for n in
               ("registrations.sql", "registrations_distinct.sql", "macros.sql")] + \
    [_HERE / "registrations.py", _HERE / "common.py", _HERE.parent / "gazetteer.py",
     Path(__file__).resolve()]
_INPUT = ["timestamp_raw", "name_raw", "nik_raw", "kk_raw", "birth_raw", "sex_raw",
          "kecamatan_raw", "desa_raw", "occupation_raw", "phone_raw", "_number_cells"]
_SETTINGS = ["min_age", "max_age", "birth_date_format", "fuzzy_min_score"]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def context(ctx: LoadContext, date_order: str) -> dict[str, str]:
    """The judging context, part by part (each a short digest)."""
    code = [p.read_text(encoding="utf-8") for p in _RULE_FILES]
    return {
        "rules": _digest(code),
        "settings": _digest({n: settings.get(n) for n in _SETTINGS}),
        "gazetteer": _digest([ctx.kabupaten_code, lokal.__version__,
                              [repr(r) for r in gazetteer.regions(ctx.kabupaten_code)]]),
        "columns": _digest([[n, ctx.raw.headers[i]] for n, i in sorted(ctx.columns.items())]
                           + [sorted(ctx.merged.items())]),
        "date_order": date_order,
    }


def prepare(ctx: LoadContext, date_order: str) -> tuple[dict, dict]:
    """Fingerprint every row of reg_input_all, find the ones seen before, and define reg_input
    (what the rules judge) as the others. Returns the path taken (for the load report) and the
    judging context (to record in meta.loads.details.judging)."""
    con = ctx.con
    parts = context(ctx, date_order)
    previous = con.execute("SELECT details->'judging' FROM meta.loads WHERE kind = ? "
                           "ORDER BY load_id DESC LIMIT 1", [ctx.kind]).fetchall()
    before = json.loads(previous[0][0]) if previous and previous[0][0] else None
    if before is None:
        reason = ("pemuatan formulir pertama" if not previous
                  else "pemuatan sebelumnya dari versi tanpa sidik baris")
    elif before != parts:
        reason = "konteks penilaian berubah: " + ", ".join(
            k for k in parts if before.get(k) != parts[k])
    else:
        reason = None
    salt = identity.row_salt()
    values = ", ".join(_INPUT)
    # Two 64-bit hash chains over the values, started from two halves of the salt: a third of
    # the time of an md5 over the joined text (2,000,000 rows every week).
    fingerprint = f"""(hash('{salt[:16]}', {values})::UHUGEINT << 64)
                      | hash('{salt[16:]}', {values})"""
    if reason:
        con.execute("DELETE FROM meta.registration_rows")
        con.execute("DELETE FROM meta.registration_rejects")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE reg_unseen AS
                        SELECT _row, {fingerprint} AS fingerprint FROM reg_input_all""")
        con.execute("CREATE OR REPLACE TEMP TABLE reg_seen_rejected (_row INTEGER, "
                    "reason_code VARCHAR, kecamatan_code VARCHAR, desa_code VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP VIEW reg_input AS SELECT * FROM reg_input_all")
    else:
        # One pass: fingerprint every row and anti-join the accepted fingerprints (millions);
        # the rest joins the few new rows and the few rejected fingerprints.
        con.execute(f"""CREATE OR REPLACE TEMP TABLE reg_unseen AS
                        SELECT _row, fingerprint
                        FROM (SELECT _row, {fingerprint} AS fingerprint FROM reg_input_all)
                        ANTI JOIN meta.registration_rows USING (fingerprint)""")
        con.execute("""CREATE OR REPLACE TEMP TABLE reg_seen_rejected AS
                       SELECT u._row, j.reason_code, j.kecamatan_code, j.desa_code
                       FROM reg_unseen AS u JOIN meta.registration_rejects AS j USING (fingerprint)""")
        # Few rows are new: copy them once rather than join every scan of the rules.
        con.execute("""CREATE OR REPLACE TEMP TABLE reg_input AS
                       SELECT * FROM reg_input_all
                       SEMI JOIN (SELECT _row FROM reg_unseen
                                  ANTI JOIN reg_seen_rejected USING (_row)) USING (_row)""")
    rows, rejected, judged = con.execute(
        "SELECT (SELECT count(*) FROM reg_input_all), (SELECT count(*) FROM reg_seen_rejected), "
        "(SELECT count(*) FROM reg_input)").fetchall()[0]
    path = {"path": "full" if reason else "incremental", "rows_seen_before": rows - judged,
            "rows_seen_accepted": rows - judged - rejected, "rows_judged": judged}
    if reason:
        path["reason"] = reason
    return path, parts


def quarantine_seen(ctx: LoadContext) -> None:
    """Quarantine again the rows seen rejected, with their stored verdict."""
    ctx.quarantine(f"""
        SELECT k._row, k.reason_code, NULL, k.kecamatan_code, k.desa_code,
               {ctx.original_json_sql('s')}
        FROM reg_seen_rejected AS k JOIN {ctx.raw.table} AS s USING (_row)""")


def remember(ctx: LoadContext) -> None:
    """Store the fingerprints of the rows judged now; list the people the load touched
    (reg_touched, for the marts). Runs after core/registrations.sql."""
    con = ctx.con
    con.execute("""
        INSERT INTO meta.registration_rows
        SELECT DISTINCT f.fingerprint FROM reg_unseen AS f JOIN reg_clean AS c USING (_row)
        WHERE c.reason_code IS NULL""")
    con.execute("""
        INSERT INTO meta.registration_rejects
        SELECT f.fingerprint, any_value(c.reason_code), any_value(c.kecamatan_code),
               any_value(c.desa_code)
        FROM reg_unseen AS f JOIN reg_clean AS c USING (_row)
        WHERE c.reason_code IS NOT NULL
        GROUP BY f.fingerprint""")
    con.execute("CREATE OR REPLACE TEMP TABLE reg_touched AS SELECT DISTINCT person_key "
                "FROM core.registrations WHERE load_id = ?", [ctx.load_id])
