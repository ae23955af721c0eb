"""The Rapat page's data and its writes: meetings, the decisions with their measured figures
(etl.decisions, one definition with `python -m etl decisions list`), the form's choices, the
pre-fills the Prioritas, Sektor and budget sections hand over, and what an RM owns.

Who may do what (docs/rules.md §3 "roles"): pimpinan opens meetings and records, closes or carries
over decisions; the admin reads the page; an RM sees the decisions they own on their Target page.
Writes go through etl.decisions, i.e. the locked atomic write of the loads (etl.db): the
dashboard's read-only connection sees them on its next rerun, like a finished load.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from etl import decisions, metrics, queries, roles
from etl.decisions import (ACTIONS, CATEGORY_ACTIONS, COMPARISON_LABELS, DINAS,  # noqa: F401
                           OWNER_KINDS, STATE_LABELS, STATUS_LABELS, DecisionError,
                           under_review)
from etl.periods import month_index, month_start
from etl.sectors import SECTOR_LABELS

from . import data
from .layout import fmt_decimal, fmt_int, fmt_month, fmt_rupiah, fmt_signed

PREFILL_KEY = "rapat_prefill"   # st.session_state key the other pages hand a draft over with
# Streamlit's coloured badges: text, so they need no emoji font (offline office machines).
STATUS_COLORS = {"achieved": "green", "on_track": "blue", "late": "red", "no_effect": "gray"}


def can_write(user) -> bool:
    """Only pimpinan records decisions; the admin reads."""
    return user.role == roles.LEADERSHIP


# ---------------------------------------------------------------- reads (through data.query)

def meeting_list(con) -> pd.DataFrame:
    return decisions.meetings(con)


def measured(con, as_of: str | None = None) -> pd.DataFrame:
    """Every decision measured at `as_of` (etl.decisions.measure)."""
    return decisions.measure(con, as_of)


def places(con) -> dict[str, str]:
    """Every place a decision can be about, code -> label: the kabupaten, its kecamatan, its
    desa (with their kecamatan), in that order."""
    out = {}
    for code, level, name, parent in queries.run(con, "decision_places").itertuples(index=False):
        out[code] = (name.title() if level == "kabupaten" else
                     f"Kecamatan {name.title()}" if level == "kecamatan" else
                     f"Desa {name.title()} ({str(parent).title()})")
    return out


def rm_choices(con) -> dict[str, str]:
    """RM id -> label, from the RM areas."""
    rms = decisions.rm_areas(con).drop_duplicates("rm_id")
    return {rm: f"{rm} · {name}" if pd.notna(name) and name else rm for rm, name in
            rms[["rm_id", "rm_name"]].itertuples(index=False)}


def rm_of_desa(con) -> dict[str, str]:
    """desa code -> the RM serving it (the first by id when several do)."""
    areas = decisions.rm_areas(con)
    return dict(areas.groupby("desa_code")["rm_id"].min().items())


def due_months(as_of: str, count: int = 12) -> list[str]:
    """The months a decision can be due by: the `count` months after the data month."""
    start = month_index(as_of)
    return [f"{month_start(start + i):%Y-%m}" for i in range(1, count + 1)]


def headline(con, as_of: str) -> dict:
    """The kabupaten's headline at `as_of`: active, coverage, estimated workers, gap."""
    row = metrics.coverage_table(con, "kabupaten", as_of=as_of).iloc[0]
    return {"active": row["active"], "coverage_pct": row["coverage_pct"],
            "estimated": row["estimated_workers"], "gap": row["gap"]}


# ---------------------------------------------------------------- tables for people

def display_table(frame: pd.DataFrame, with_meeting: bool = True) -> pd.DataFrame:
    """Decisions as the page and the minutes show them (Indonesian headers)."""
    out = pd.DataFrame({
        "No.": frame["decision_id"].to_numpy(),
        "Rapat": frame["held_on"].map(lambda d: pd.Timestamp(d).strftime("%d-%m-%Y")).to_numpy(),
        "Wilayah": [place_label(r) for r in frame.itertuples()],
        "Sektor": frame["sector"].map(lambda s: SECTOR_LABELS.get(s, "semua")).to_numpy(),
        "Tindakan": frame["action_label"].to_numpy(),
        "Penanggung jawab": frame["owner_label"].to_numpy(),
        "Jatuh tempo": frame["due_month"].map(fmt_month).to_numpy(),
        "Target tambahan": frame["expected_gain"].map(fmt_signed).to_numpy(),
        "Aktif saat keputusan": frame["active_base"].map(fmt_int).to_numpy(),
        "Aktif sekarang": frame["active_now"].map(fmt_int).to_numpy(),
        "Kenaikan": frame["gain"].map(fmt_signed).to_numpy(),
        "Kenaikan pembanding": [comparison_text(r) for r in frame.itertuples()],
        "Kenaikan bersih": frame["net_gain"].map(lambda v: fmt_decimal(v)).to_numpy(),
        "Dari target (%)": frame["net_gain_pct"].to_numpy(),
        "Status": frame["status"].map(STATUS_LABELS).to_numpy(),
        "Keadaan": frame["state"].map(STATE_LABELS).to_numpy(),
    })
    return out if with_meeting else out.drop(columns="Rapat")


def place_label(r) -> str:
    name = str(r.place_name).title()
    if r.place_level == "desa":
        return f"Desa {name} ({str(r.kecamatan_name).title()})"
    return f"Kecamatan {name}" if r.place_level == "kecamatan" else name


def comparison_text(r) -> str:
    if pd.isna(r.comparison_basis):
        return "-"
    return (f"{fmt_decimal(r.comparison_gain)} (rata-rata {fmt_int(r.comparison_places)} "
            f"{COMPARISON_LABELS[r.comparison_basis]})")


def summary_line(r) -> str:
    """One decision in a sentence for the meeting: where, what, the gain against its comparison
    and the expectation, the status."""
    comparison = ("" if pd.isna(r.comparison_basis) else
                  f", pembanding {fmt_decimal(r.comparison_gain)}")
    return (f"**#{r.decision_id} {place_label(r)}** · "
            f"{r.action_label} · {r.owner_label}: aktif {fmt_int(r.active_base)} → "
            f"{fmt_int(r.active_now)} (**{fmt_signed(r.gain)}**{comparison}; bersih "
            f"{fmt_decimal(r.net_gain)} dari {fmt_signed(r.expected_gain)} diharapkan, jatuh "
            f"tempo {fmt_month(r.due_month)}) · "
            f":{STATUS_COLORS[r.status]}-badge[{STATUS_LABELS[r.status]}]")


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {label: int((frame["status"] == code).sum()) for code, label in STATUS_LABELS.items()}


def review_label(frame: pd.DataFrame, decision_id: int) -> str:
    r = next(frame[frame["decision_id"] == decision_id].itertuples())
    return (f"#{decision_id} {place_label(r)} · {r.action_label} · "
            f"{STATUS_LABELS[r.status]}")


# ---------------------------------------------------------------- the form

def default_owner(place_code: str | None, rm_names: dict) -> str:
    """A desa decision is an RM's by default (when there are RMs), others the Dinas'."""
    return "rm" if place_code and place_code.count(".") == 3 and rm_names else "dinas"


def draft(place_code: str, sector: str, action: str, owner_kind: str, rm_id: str,
          due_month: str, expected_gain: int, detail: str) -> dict:
    """The form's values as a decision: the owner follows its kind (the chosen RM, the Dinas,
    or the decision's desa)."""
    owner = {"rm": rm_id, "dinas": DINAS, "desa": place_code}[owner_kind]
    if owner_kind == "desa" and place_code.count(".") != 3:
        raise DecisionError("Penanggung jawab desa hanya untuk keputusan tentang satu desa.")
    return {"place_code": place_code, "sector": sector or None, "action": action,
            "owner_kind": owner_kind, "owner": owner, "due_month": due_month,
            "expected_gain": int(expected_gain), "detail": detail}


# ---------------------------------------------------------------- pre-fills from other pages

def prefill_from_desa(row, as_of: str, rm_of: dict | None = None) -> dict:
    """A draft decision from a desa of the Prioritas visit list: its gap and its category's
    action, owned by the desa's RM when it has one."""
    category = None if pd.isna(row["Kategori"]) else int(row["Kategori"])
    gap = int(row["Kesenjangan (orang)"])
    rm = (rm_of or {}).get(str(row["Kode desa"]))
    return {"place_code": str(row["Kode desa"]),
            **({"owner_kind": "rm", "owner": rm} if rm else {}),
            "action": CATEGORY_ACTIONS.get(category, "sosialisasi"),
            "expected_gain": max(gap // 10, 1),
            "detail": f"Daftar kunjungan: kesenjangan {fmt_int(gap)} orang; {row['Tindakan']}",
            "due_month": due_months(as_of, 3)[-1]}


def prefill_from_sector(sector: str, gap: int, place_code: str, as_of: str) -> dict:
    """A draft decision from an under-reached sector of the Sektor page."""
    return {"place_code": place_code, "sector": sector, "action": "sosialisasi",
            "owner_kind": "dinas", "expected_gain": max(int(gap) // 10, 1),
            "detail": f"Sektor tertinggal {SECTOR_LABELS.get(sector, sector)}: kesenjangan "
                      f"{fmt_int(gap)} orang",
            "due_month": due_months(as_of, 6)[-1]}


def prefill_from_budget(budget_rp: int, workers: int, months: int, place_code: str,
                        as_of: str) -> dict:
    """A draft decision from the budget simulator: Rp X buys N workers for `months` months."""
    return {"place_code": place_code, "action": "tambahan_anggaran", "owner_kind": "dinas",
            "expected_gain": max(int(workers), 1),
            "detail": f"Tambahan anggaran {fmt_rupiah(budget_rp)}: {fmt_int(workers)} pekerja "
                      f"selama {months} bulan",
            "due_month": due_months(as_of, 6)[-1]}


# ---------------------------------------------------------------- writes

def open_meeting(user, held_on: dt.date, note: str, data_month: str) -> int:
    return decisions.open_meeting(data.db_path(), held_on, note, data_month, user.username)


def record(user, meeting_id: int, draft: dict) -> int:
    """Record the form's decision (DecisionError with the reason when it cannot be)."""
    return decisions.record(data.db_path(), meeting_id, draft["place_code"], draft["action"],
                            draft["owner_kind"], draft["owner"], draft["due_month"],
                            draft["expected_gain"], draft.get("sector") or None,
                            draft.get("detail"))


def close(meeting_id: int, decision_id: int) -> None:
    decisions.close(data.db_path(), decision_id, meeting_id)


def carry_over(meeting_id: int, decision_id: int, due_month: str) -> int:
    return decisions.carry_over(data.db_path(), decision_id, meeting_id, due_month)


def start_draft(prefill: dict) -> None:
    """Hand a draft decision over to the Rapat page and open it (from Prioritas, Sektor or the
    budget simulator)."""
    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    from . import registry

    st.session_state[PREFILL_KEY] = prefill
    try:
        st.switch_page(registry.spec("rapat").path)
    except StreamlitAPIException:  # the page runs without app.py's menu (a test, a bare run)
        st.info("Draf keputusan siap: buka halaman Rapat untuk mencatatnya.",
                icon=":material/groups:")


# ---------------------------------------------------------------- the RM's own

def owned(con, rm_id: str | None, as_of: str | None = None) -> pd.DataFrame:
    """The open decisions an RM owns, measured at `as_of`."""
    return decisions.owned_by(decisions.measure(con, as_of), rm_id)
