"""The planning loop: meetings (rapat), the decisions made in them, and how each decision is doing.

A planning meeting looks at one data month (the month its figures are for) and decides actions:
a sosialisasi in a desa, a registration drive in a kecamatan, more APBD money for the kabupaten.
Each decision has its place (a desa, a kecamatan or the kabupaten), an optional sector, an
action (ACTIONS), an owner (an RM, the Dinas or a desa), a due month and an expected gain (+N
active members). The next meeting sees, measured from the data
(etl/sql/queries/decision_measure.sql, the one definition): active at the decision, active now,
the gain, the mean gain of comparable places without a decision over the same months (so a rise
everywhere is not credited to the action), the net gain and a status (STATUS_LABELS).

Decisions are stored in the database (plan.meetings, plan.decisions: etl/sql/decisions.sql) and
every write goes through etl.db.write_session, the locked atomic write of the loads: a decision
saved while a load runs waits for it and is written onto the loaded file, and a load (which
copies the whole file) never drops a decision. A spreadsheet of decisions loads as
``python -m etl load decisions FILE`` (etl/loaders/decisions.py, the common load pipeline).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pandas as pd

from . import db, metrics, priority, queries, settings
from .periods import month_index, month_start
from .sectors import SECTOR_LABELS

ACTIONS = {
    "sosialisasi": "Sosialisasi",
    "jemput_bola": "Pendaftaran keliling / jemput bola",
    "verifikasi_massal": "Verifikasi massal",
    "tambahan_anggaran": "Tambahan anggaran",
    "lainnya": "Lainnya",
}
OWNER_KINDS = {"rm": "RM", "dinas": "Dinas", "desa": "Desa"}
DINAS = "Dinas"
STATUS_LABELS = {"achieved": "tercapai", "on_track": "sesuai jadwal", "late": "terlambat",
                 "no_effect": "belum berdampak"}
STATE_LABELS = {"open": "berjalan", "closed": "ditutup", "carried": "dilanjutkan"}
COMPARISON_LABELS = {"kategori": "desa sekategori prioritas tanpa keputusan",
                     "kecamatan": "desa sekecamatan tanpa keputusan",
                     "kecamatan_lain": "kecamatan lain tanpa keputusan"}
LEVEL_LABELS = {"kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa"}

# The category's suggested action on the Prioritas page -> the action it pre-fills.
CATEGORY_ACTIONS = {1: "lainnya", 2: "verifikasi_massal", 3: "sosialisasi", 4: "jemput_bola"}


class DecisionError(ValueError):
    """A decision or meeting that cannot be recorded as given (message in Indonesian)."""


# ---------------------------------------------------------------- words people write

def action_code(text: object) -> str | None:
    """An action code from its code or its label, or from the words people use for it."""
    key = re.sub(r"[^a-z]+", " ", str(text or "").lower()).strip()
    if not key:
        return None
    for code, label in ACTIONS.items():
        if key in (code.replace("_", " "), re.sub(r"[^a-z]+", " ", label.lower()).strip()):
            return code
    words = {"sosialisasi": ("sosialisasi", "penyuluhan", "outreach"),
             "jemput_bola": ("jemput bola", "keliling", "pendaftaran", "registrasi", "drive"),
             "verifikasi_massal": ("verifikasi", "validasi"),
             "tambahan_anggaran": ("anggaran", "apbd", "budget", "dana"),
             "lainnya": ("lainnya", "lain", "other")}
    for code, hints in words.items():
        if any(h in key for h in hints):
            return code
    return None


def owner_of(text: object, place_code: str | None, rm_ids: set[str]) -> tuple[str, str] | None:
    """(owner_kind, owner) from what a file or a form says: an RM id, the Dinas, or a desa
    (the decision's own desa when it is one, or a desa code)."""
    raw = str(text or "").strip()
    key = raw.upper()
    if not raw:
        return None
    if key in rm_ids or re.fullmatch(r"RM[- ]?\d+", key):
        return "rm", key.replace(" ", "-")
    if "DINAS" in key or key in ("DISNAKER", "PEMKAB", "PEMDA"):
        return "dinas", DINAS
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", raw):
        return "desa", raw
    if key.startswith("DESA") or key.startswith("PEMDES") or key == "KEPALA DESA":
        if place_code and place_code.count(".") == 3:
            return "desa", place_code
    return None


def place_level(code: str) -> str:
    return {1: "kabupaten", 2: "kecamatan", 3: "desa"}.get(str(code).count("."), "")


def _month(value, what: str) -> dt.date:
    try:
        month = metrics.parse_month(value)
    except ValueError:
        month = None
    if month is None:
        raise DecisionError(f"{what} '{value}' tidak terbaca: tulis bulan seperti 2026-03.")
    return month


def previous_month(day: dt.date) -> dt.date:
    """The month a meeting held on `day` sees by default: the one before (the latest complete)."""
    return month_start(month_index(day) - 1)


# ---------------------------------------------------------------- writes (one locked write each)

def _existing(db_path) -> Path:
    path = Path(db_path or settings.get("db"))
    if not path.exists():
        raise db.DatabaseMissing(str(path))
    return path


def open_meeting(db_path, held_on, note: str | None = None, data_month=None,
                 created_by: str | None = None) -> int:
    """A new meeting held on `held_on` looking at the figures of `data_month` (default: the
    database's default month, else the month before the meeting); returns its id."""
    with db.write_session(_existing(db_path)) as con:
        return insert_meeting(con, held_on, note, data_month, created_by)


def insert_meeting(con, held_on, note=None, data_month=None, created_by=None) -> int:
    day = pd.Timestamp(held_on).date() if held_on else dt.date.today()
    if data_month is None:
        default = metrics.default_month(con)
        month = metrics.parse_month(default) if default else previous_month(day)
    else:
        month = _month(data_month, "Bulan data")
    meeting_id = queries.scalar(con, "SELECT nextval('plan.meeting_id_seq')")
    con.execute("INSERT INTO plan.meetings VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?)",
                [meeting_id, day, (note or "").strip() or None, month, created_by])
    return int(meeting_id)


def record(db_path, meeting_id: int, place_code: str, action: str, owner_kind: str,
           owner: str, due_month, expected_gain: int, sector: str | None = None,
           detail: str | None = None, source: str = "rapat") -> int:
    """Record one decision of a meeting (see insert_decision); returns its id."""
    with db.write_session(_existing(db_path)) as con:
        return insert_decision(con, meeting_id, place_code, action, owner_kind, owner,
                               due_month, expected_gain, sector, detail, source)


def check_decision(con, meeting_id: int, place_code: str, action: str, owner_kind: str,
                   owner: str, due_month, expected_gain, sector: str | None = None) -> dict:
    """The decision's values checked against the database; DecisionError (Indonesian) when one
    is wrong. Returns the values to store."""
    meeting = con.execute("SELECT data_month FROM plan.meetings WHERE meeting_id = ?",
                          [int(meeting_id)]).fetchall()
    if not meeting:
        raise DecisionError(f"Rapat #{meeting_id} tidak ada.")
    code = str(place_code or "").strip()
    known = con.execute("SELECT level FROM core.regions WHERE code = ?", [code]).fetchall()
    if not known:
        raise DecisionError(f"Kode wilayah '{code}' tidak ada di kabupaten ini.")
    if action not in ACTIONS:
        raise DecisionError(f"Tindakan '{action}' tidak dikenal. Pilihan: {', '.join(ACTIONS)}.")
    if owner_kind not in OWNER_KINDS or not str(owner or "").strip():
        raise DecisionError("Penanggung jawab harus RM (dengan ID RM), Dinas, atau desa.")
    if sector is not None and sector not in SECTOR_LABELS:
        raise DecisionError(f"Sektor '{sector}' tidak dikenal.")
    try:
        gain = int(expected_gain)
    except (TypeError, ValueError):
        gain = 0
    if gain < 1:
        raise DecisionError("Tambahan peserta aktif yang diharapkan harus bilangan bulat 1 atau "
                            "lebih.")
    baseline = meeting[0][0]
    due = _month(due_month, "Bulan jatuh tempo")
    if due <= baseline:
        raise DecisionError(f"Bulan jatuh tempo {due:%Y-%m} harus sesudah bulan data rapat "
                            f"({baseline:%Y-%m}).")
    return {"meeting_id": int(meeting_id), "place_level": known[0][0], "place_code": code,
            "sector": sector, "action": action, "owner_kind": owner_kind,
            "owner": str(owner).strip(), "due_month": due, "expected_gain": gain,
            "baseline_month": baseline}


def insert_decision(con, meeting_id: int, place_code: str, action: str, owner_kind: str,
                    owner: str, due_month, expected_gain: int, sector: str | None = None,
                    detail: str | None = None, source: str = "rapat",
                    load_id: int | None = None, carried_from: int | None = None) -> int:
    """Insert one checked decision on a write connection; returns its id."""
    v = check_decision(con, meeting_id, place_code, action, owner_kind, owner, due_month,
                       expected_gain, sector)
    decision_id = queries.scalar(con, "SELECT nextval('plan.decision_id_seq')")
    con.execute("""
        INSERT INTO plan.decisions (decision_id, meeting_id, place_level, place_code, sector,
            action, detail, owner_kind, owner, due_month, expected_gain, baseline_month, state,
            carried_from, source, load_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, now()::TIMESTAMP)""",
                [decision_id, v["meeting_id"], v["place_level"], v["place_code"], v["sector"],
                 action, (detail or "").strip() or None, v["owner_kind"], v["owner"],
                 v["due_month"], v["expected_gain"], v["baseline_month"], carried_from, source,
                 load_id])
    return int(decision_id)


def close(db_path, decision_id: int, meeting_id: int) -> None:
    """Close an open decision in a meeting: it is judged from then on at the meeting's month."""
    with db.write_session(_existing(db_path)) as con:
        month = _meeting_month(con, meeting_id)
        _require_open(con, decision_id)
        con.execute("UPDATE plan.decisions SET state = 'closed', closed_month = ?, "
                    "closed_meeting_id = ? WHERE decision_id = ?",
                    [month, int(meeting_id), int(decision_id)])


def carry_over(db_path, decision_id: int, meeting_id: int, due_month,
               expected_gain: int | None = None) -> int:
    """Carry an open decision into a meeting with a new due month: the old one is marked
    carried, a new one (same place, action, owner, measured from the same baseline month, so its
    gain counts since the first decision) is recorded in the meeting. Returns the new id."""
    with db.write_session(_existing(db_path)) as con:
        _meeting_month(con, meeting_id)
        old = _require_open(con, decision_id)
        due = _month(due_month, "Bulan jatuh tempo")
        if due <= old["baseline_month"]:
            raise DecisionError("Bulan jatuh tempo baru harus sesudah bulan data keputusan.")
        new_id = int(queries.scalar(con, "SELECT nextval('plan.decision_id_seq')"))
        con.execute("""
            INSERT INTO plan.decisions (decision_id, meeting_id, place_level, place_code, sector,
                action, detail, owner_kind, owner, due_month, expected_gain, baseline_month,
                state, carried_from, source, load_id, created_at)
            SELECT ?, ?, place_level, place_code, sector, action, detail, owner_kind, owner, ?,
                   coalesce(?, expected_gain), baseline_month, 'open', decision_id, source,
                   load_id, now()::TIMESTAMP
            FROM plan.decisions WHERE decision_id = ?""",
                    [new_id, int(meeting_id), due, expected_gain, int(decision_id)])
        con.execute("UPDATE plan.decisions SET state = 'carried', closed_meeting_id = ? "
                    "WHERE decision_id = ?", [int(meeting_id), int(decision_id)])
        return new_id


def _meeting_month(con, meeting_id: int) -> dt.date:
    rows = con.execute("SELECT data_month FROM plan.meetings WHERE meeting_id = ?",
                       [int(meeting_id)]).fetchall()
    if not rows:
        raise DecisionError(f"Rapat #{meeting_id} tidak ada.")
    return rows[0][0]


def _require_open(con, decision_id: int) -> dict:
    frame = con.execute("SELECT * FROM plan.decisions WHERE decision_id = ?",
                        [int(decision_id)]).df()
    if frame.empty:
        raise DecisionError(f"Keputusan #{decision_id} tidak ada.")
    row = frame.iloc[0].to_dict()
    if row["state"] != "open":
        raise DecisionError(f"Keputusan #{decision_id} sudah {STATE_LABELS[row['state']]}.")
    row["baseline_month"] = pd.Timestamp(row["baseline_month"]).date()
    return row


# ---------------------------------------------------------------- reads

def _has_tables(con) -> bool:
    try:
        con.execute("SELECT 1 FROM plan.decisions LIMIT 0").fetchall()
        con.execute("SELECT 1 FROM marts.monthly LIMIT 0").fetchall()
    except duckdb.CatalogException:
        return False
    return True


def meetings(con) -> pd.DataFrame:
    """Every meeting, newest first: meeting_id, held_on, note, data_month ('YYYY-MM'),
    decisions (how many were recorded in it)."""
    if not _has_tables(con):
        return pd.DataFrame(columns=["meeting_id", "held_on", "note", "data_month", "decisions"])
    return con.execute("""
        SELECT m.meeting_id, m.held_on, m.note, strftime(m.data_month, '%Y-%m') AS data_month,
               count(d.decision_id) AS decisions
        FROM plan.meetings AS m LEFT JOIN plan.decisions AS d USING (meeting_id)
        GROUP BY ALL ORDER BY m.held_on DESC, m.meeting_id DESC""").df()


def _categories(con, months: list[dt.date]) -> pd.DataFrame:
    """The priority category of every desa at each month (etl.priority, the Prioritas page's
    rule), for the comparison places."""
    frames = []
    for month in months:
        text = f"{month:%Y-%m}"
        table = priority.priority_table(con, month.year, text)
        frames.append(pd.DataFrame({"month": pd.to_datetime([month] * len(table)),
                                    "desa_code": table["kode"].astype(str).to_numpy(),
                                    "category": table["category"].astype("Int64").to_numpy()}))
    if not frames:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                             "desa_code": pd.Series(dtype="str"),
                             "category": pd.Series(dtype="Int64")})
    return pd.concat(frames, ignore_index=True)


MEASURE_COLUMNS = ["decision_id", "meeting_id", "held_on", "place_level", "place_code",
                   "place_name", "kecamatan_name", "sector", "action", "action_label", "detail",
                   "owner_kind", "owner", "owner_label", "due_month", "expected_gain",
                   "baseline_month", "measure_month", "state", "closed_month", "closed_meeting_id",
                   "carried_from",
                   "source", "category", "active_base", "active_now", "gain",
                   "comparison_basis", "comparison_places", "comparison_gain", "net_gain",
                   "net_gain_pct", "status", "status_label"]


def measure(con, as_of=None) -> pd.DataFrame:
    """Every decision with its measured figures at the month `as_of` (default: the default
    month of the data), oldest meeting first; columns MEASURE_COLUMNS (months 'YYYY-MM').
    See etl/sql/queries/decision_measure.sql for the definitions."""
    if not _has_tables(con):
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    month = metrics.parse_month(metrics.check_month(con, as_of))
    # A decision made at a month after the one asked is measured from its own month (gain 0).
    baselines = [r[0] for r in con.execute(
        "SELECT DISTINCT baseline_month FROM plan.decisions WHERE place_level = 'desa' "
        "ORDER BY 1").fetchall()]
    queries.put_frame(con, "decision_categories_frame", _categories(
        con, [b for b in baselines if b <= month]))
    con.execute("CREATE OR REPLACE TEMP TABLE decision_categories AS SELECT month::DATE AS month, "
                "desa_code::VARCHAR AS desa_code, category::INTEGER AS category "
                "FROM decision_categories_frame")
    frame = queries.run(con, "decision_measure", {
        "as_of": month, "min_comparison": int(settings.get("decision_min_comparison"))})
    return _labelled(con, frame)


def rm_areas(con) -> pd.DataFrame:
    """rm_id, rm_name, desa_code: one row per RM and desa they serve (one query for the labels
    of decisions, the owner choices and the RM of a desa)."""
    return queries.run(con, "rm_names")


def _labelled(con, frame: pd.DataFrame) -> pd.DataFrame:
    names = dict(con.execute("SELECT code, name FROM core.regions").fetchall())
    rm_names = {rm: name for rm, name in rm_areas(con)[["rm_id", "rm_name"]]
                .itertuples(index=False) if pd.notna(name)}
    out = frame.copy()
    out["place_name"] = out["place_code"].map(names)
    out["kecamatan_name"] = [names.get(c.rsplit(".", 1)[0]) if lvl == "desa" else
                             (names.get(c) if lvl == "kecamatan" else None)
                             for c, lvl in zip(out["place_code"], out["place_level"])]
    out["action_label"] = out["action"].map(ACTIONS)
    out["owner_label"] = [
        (f"{o} {rm_names[o]}" if rm_names.get(o) else o) if k == "rm"
        else DINAS if k == "dinas" else f"Desa {str(names.get(o, o)).title()}"
        for k, o in zip(out["owner_kind"], out["owner"])]
    out["status_label"] = out["status"].map(STATUS_LABELS)
    for column in ("due_month", "baseline_month", "measure_month", "closed_month"):
        out[column] = [None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m")
                       for v in out[column]]
    out["held_on"] = [pd.Timestamp(v).strftime("%Y-%m-%d") for v in out["held_on"]]
    for column in ("category", "carried_from", "closed_meeting_id", "expected_gain",
                   "active_base", "active_now",
                   "gain", "comparison_places"):
        out[column] = out[column].astype("Int64")
    for column in ("comparison_gain", "net_gain", "net_gain_pct"):
        out[column] = out[column].astype("Float64")
    return out[MEASURE_COLUMNS].reset_index(drop=True)


def under_review(measured: pd.DataFrame, meeting_id: int, held_on: str) -> pd.DataFrame:
    """"Sejak rapat lalu" of one meeting: the decisions of earlier meetings (held on or before
    `held_on`, 'YYYY-MM-DD') still open, and those this meeting closed or carried over."""
    if measured.empty:
        return measured
    earlier = (measured["meeting_id"] != int(meeting_id)) & (measured["held_on"] <= held_on)
    here = measured["closed_meeting_id"].astype("Float64") == int(meeting_id)
    return measured[earlier & ((measured["state"] == "open") | here.fillna(False))
                    ].reset_index(drop=True)


def owned_by(measured: pd.DataFrame, rm_id: str | None) -> pd.DataFrame:
    """The open decisions an RM owns."""
    if not rm_id or measured.empty:
        return measured.iloc[0:0]
    mine = (measured["owner_kind"] == "rm") & (measured["owner"] == rm_id)
    return measured[mine & (measured["state"] == "open")].reset_index(drop=True)


def export_frame(measured: pd.DataFrame) -> pd.DataFrame:
    """`export decisions`: one row per decision, headers in Indonesian, as a planner reads it
    (and as ``load decisions`` reads it back: TANGGAL_RAPAT, KODE, SEKTOR, TINDAKAN,
    PENANGGUNG_JAWAB, JATUH_TEMPO, TARGET_TAMBAHAN, CATATAN, BULAN_DATA)."""
    m = measured
    return pd.DataFrame({
        "ID": m["decision_id"], "NO_RAPAT": m["meeting_id"], "TANGGAL_RAPAT": m["held_on"],
        "KODE": m["place_code"], "TINGKAT": m["place_level"], "WILAYAH": m["place_name"],
        "KECAMATAN": m["kecamatan_name"], "SEKTOR": m["sector"], "TINDAKAN": m["action"],
        "CATATAN": m["detail"], "PENANGGUNG_JAWAB": m["owner"],
        "JENIS_PENANGGUNG_JAWAB": m["owner_kind"], "JATUH_TEMPO": m["due_month"],
        "TARGET_TAMBAHAN": m["expected_gain"], "BULAN_DATA": m["baseline_month"],
        "BULAN_UKUR": m["measure_month"], "KEADAAN": m["state"].map(STATE_LABELS),
        "AKTIF_SAAT_KEPUTUSAN": m["active_base"], "AKTIF_SEKARANG": m["active_now"],
        "KENAIKAN": m["gain"], "PEMBANDING": m["comparison_basis"].map(COMPARISON_LABELS),
        "JUMLAH_PEMBANDING": m["comparison_places"],
        "KENAIKAN_PEMBANDING": m["comparison_gain"], "KENAIKAN_BERSIH": m["net_gain"],
        "PERSEN_DARI_TARGET": m["net_gain_pct"], "STATUS": m["status_label"],
    })
