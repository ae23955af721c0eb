"""The demo's two past planning meetings, so a new user sees the planning loop on the first day.

Derived from the demo's own data, so every status the Rapat page shows is a real measurement
(etl.decisions.measure), not a label written in: the demo's desa grow at different paces, and
the decisions are placed where the data shows they worked or did not.

* Meeting 1, held early in the month three months before the default month D, looked at the
  figures of D-4. Its desa decisions are the desa whose gain to D beats their priority
  category's mean the most (they "worked": expected gain set below the measured net gain, so
  they read achieved) and the desa that did worse than their category (due D-1, now late). One
  worked decision is closed at meeting 2, one that did not is carried over into it.
* Meeting 2, held early in D-1, looked at D-2: one desa that worked, one that did not (due after
  D: no effect yet), a jemput bola in the kecamatan with the largest gap, and extra APBD money
  for the kabupaten (the budget simulator's arithmetic: Rp500 juta buys
  500,000,000 / (premium_per_month x 12) workers for 12 months).
Owners are the RM of each desa's area (the demo's RM account owns some), the Dinas for the
kabupaten and kecamatan decisions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import db, decisions, metrics, priority, queries, settings
from ..periods import month_index, month_start

BUDGET_RP = 500_000_000


def add_meetings(db_path: str | Path) -> dict:
    """Write the two past meetings into the demo database; a summary of their decisions."""
    with db.write_session(db_path) as con:
        default = metrics.default_month(con)
        if default is None:
            return {"meetings": 0, "decisions": 0}
        d = month_index(default)
        if d - 4 < month_index(metrics.data_span(con).first_month):
            return {"meetings": 0, "decisions": 0}   # too little history for a loop
        rm_of = dict(con.execute("SELECT desa_code, min(rm_id) FROM core.rm_areas "
                                 "GROUP BY 1").fetchall())
        first_rm = min(rm_of.values()) if rm_of else None
        m1 = decisions.insert_meeting(con, month_start(d - 2).replace(day=7),
                                      "Rapat koordinasi cakupan (demo)", month_start(d - 4),
                                      "demo")
        m2 = decisions.insert_meeting(con, month_start(d).replace(day=7),
                                      "Rapat evaluasi cakupan (demo)", month_start(d - 2),
                                      "demo")
        worked1, missed1 = _ranked(con, d - 4, d, rm_of, first_rm)
        worked2, missed2 = _ranked(con, d - 2, d, rm_of, first_rm,
                                   skip={*worked1[:2], *missed1[:2]})
        if len(worked1) < 2 or len(missed1) < 2 or not worked2 or not missed2:
            return {"meetings": 0, "decisions": 0}   # a demo too small to tell them apart
        plan = ([(m1, code, d - 1, True) for code in worked1[:2]]
                + [(m1, code, d - 1, False) for code in missed1[:2]]
                + [(m2, worked2[0], d + 2, True), (m2, missed2[0], d + 2, False)])
        ids = []
        for meeting, (code, category), due, _ in plan:
            owner = rm_of.get(code)
            ids.append(decisions.insert_decision(
                con, meeting, code, decisions.CATEGORY_ACTIONS.get(category, "sosialisasi"),
                "rm" if owner else "desa", owner or code, f"{month_start(due):%Y-%m}", 1,
                detail="Dari daftar kunjungan Prioritas", source="demo"))
        kec = metrics.coverage_table(con, "kecamatan", as_of=month_start(d - 2))
        kec_code = kec.sort_values("gap", ascending=False)["kode"].iloc[0]
        ids.append(decisions.insert_decision(
            con, m2, kec_code, "jemput_bola", "dinas", decisions.DINAS,
            f"{month_start(d + 3):%Y-%m}", max(int(kec["gap"].max() * 0.05), 5),
            detail="Pendaftaran keliling semua desa",
            source="demo"))
        workers = BUDGET_RP // (int(settings.get("premium_per_month")) * 12)
        ids.append(decisions.insert_decision(
            con, m2, metrics.kabupaten_code(con), "tambahan_anggaran", "dinas", decisions.DINAS,
            f"{month_start(d + 4):%Y-%m}", workers,
            detail=f"Tambahan APBD Rp500 juta: {workers} pekerja selama 12 bulan",
            source="demo"))
        # The loop itself: a worked decision of meeting 1 closed at meeting 2 (judged at its
        # month from then on), one that did not carried over into it (measured from its first
        # month, with its expectation).
        con.execute("UPDATE plan.decisions SET state = 'closed', closed_month = ?, "
                    "closed_meeting_id = ? WHERE decision_id = ?",
                    [month_start(d - 2), m2, ids[1]])
        _set_expectations(con, plan, ids)
        carried = queries.scalar(con, "SELECT nextval('plan.decision_id_seq')")
        con.execute("""
            INSERT INTO plan.decisions SELECT ?, ?, place_level, place_code, sector, action,
                   detail, owner_kind, owner, ?, expected_gain, baseline_month, 'open', NULL,
                   NULL, decision_id, source, load_id, now()::TIMESTAMP
            FROM plan.decisions WHERE decision_id = ?""",
                    [carried, m2, month_start(d + 2), ids[3]])
        con.execute("UPDATE plan.decisions SET state = 'carried', closed_meeting_id = ? "
                    "WHERE decision_id = ?", [m2, ids[3]])
        return {"meetings": 2, "decisions": len(ids) + 1}


def _ranked(con, start: int, end: int, rm_of: dict, first_rm: str | None,
            skip=frozenset()) -> tuple[list, list]:
    """(desa that gained most above their category's mean, desa that gained least), as
    (code, category), from start to end (month indices); the demo RM's area first in each."""
    table = priority.priority_table(con, month_start(start).year, f"{month_start(start):%Y-%m}")
    table = table[table["category"].notna() & (pd.to_numeric(table["gap"]) > 0)]
    # Desa of the categories that call for action (2-4) when there are enough of them.
    acting = table[table["category"] >= 2]
    table = acting if len(acting) >= 12 else table
    now = metrics.coverage_table(con, "desa", as_of=month_start(end))
    active = dict(zip(now["kode"], now["active"]))
    frame = pd.DataFrame({"kode": table["kode"], "category": table["category"].astype(int),
                          "gain": [active.get(c, 0) - a
                                   for c, a in zip(table["kode"], table["active"])]})
    frame["excess"] = frame["gain"] - frame.groupby("category")["gain"].transform("mean")
    frame = frame[~frame["kode"].isin({c for c, _ in skip})]
    frame["own_rm"] = frame["kode"].map(rm_of).eq(first_rm)
    order = frame.sort_values(["excess", "kode"], ascending=[False, True])
    best = _area_first(order[order["excess"] > 0])
    worst = _area_first(order[order["excess"] <= 0].iloc[::-1])
    return best, worst


def _area_first(frame: pd.DataFrame) -> list:
    """The best of the demo RM's area first, then the rest in order."""
    own = frame[frame["own_rm"]].head(1)
    rest = frame.drop(own.index)
    return [(r.kode, r.category) for r in pd.concat([own, rest]).itertuples()]


def _set_expectations(con, plan: list, ids: list) -> None:
    """Expected gains from the measurement itself: a decision that worked expects a little
    less than its net gain (achieved), one that did not expects a tenth of its desa's gap."""
    measured = decisions.measure(con).set_index("decision_id")
    gaps = metrics.coverage_table(con, "desa", as_of=None).set_index("kode")["gap"]
    for (_, (code, _cat), _, worked), decision_id in zip(plan, ids):
        net = float(measured.loc[decision_id, "net_gain"])
        if worked and net >= 1:
            expected = max(int(net * 0.8), 1)
        else:
            expected = max(int(gaps.get(code, 50) // 10), int(net) + 5, 5)
        con.execute("UPDATE plan.decisions SET expected_gain = ? WHERE decision_id = ?",
                    [expected, decision_id])

