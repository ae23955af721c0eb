"""Desa priority in the manner of the immunisation "Reaching Every District" (RED) approach.

Owns the classification of docs/rules.md §5 "desa priority" and the visit list:

* access: coverage against the desa's target. The target is the desa's own target when one was
  loaded, else its share of the kabupaten target (the kabupaten target times the desa's share of
  the estimated workers), else the estimated workers themselves. Below the setting
  ``priority_coverage_threshold`` (0.8) access is low.
* utilisation: the larger of the stalled share (registered but not enrolled, over registered) and
  the lapse share (lapsed over enrolled). Above ``priority_dropoff_threshold`` (0.2) drop-off is
  high.
* RED categories: 1 good access, low drop-off; 2 good access, high drop-off; 3 low access, low
  drop-off; 4 low access, high drop-off; each with its suggested action (outreach, follow-up of
  stalled registrations, premium continuation).
* visit list: desa ranked by gap (people still unprotected), largest first.

Counts come from etl.metrics.coverage_table at desa level; nothing is recomputed here. The rule
lives in etl because the decisions' comparison places (etl.decisions) are the desa of the same
category; dashboard.priority re-exports it for Prioritas & Anggaran and the brief.
"""

from __future__ import annotations

import pandas as pd

from . import metrics, settings
from .periods import current_targets

OUTREACH = "Sosialisasi dan penjangkauan pekerja yang belum terdaftar"
FOLLOW_UP = "Tindak lanjut pendaftaran macet (verifikasi, berkas, nomor KPJ)"
CONTINUE = "Lanjutkan iuran peserta yang menunggak"
KEEP = "Pertahankan: pastikan iuran tetap dibayar tiap bulan"

CATEGORIES = {
    1: "Kategori 1: cakupan baik, drop-off rendah",
    2: "Kategori 2: cakupan baik, drop-off tinggi",
    3: "Kategori 3: cakupan rendah, drop-off rendah",
    4: "Kategori 4: cakupan rendah, drop-off tinggi",
}
NO_DATA = "Belum ada target atau perkiraan pekerja"


def thresholds() -> tuple[float, float]:
    return (float(settings.get("priority_coverage_threshold")),
            float(settings.get("priority_dropoff_threshold")))


def category(attainment: float | None, dropoff: float, coverage_threshold: float,
             dropoff_threshold: float) -> int | None:
    """RED category 1-4 from attainment (0-1, against the target) and drop-off (0-1)."""
    if attainment is None or pd.isna(attainment):
        return None
    low = attainment < coverage_threshold
    high = dropoff > dropoff_threshold
    return {(False, False): 1, (False, True): 2, (True, False): 3, (True, True): 4}[(low, high)]


def action(cat: int | None, stalled: float, lapse: float, dropoff_threshold: float) -> str:
    """The suggested action for a desa: what to do first, then what else its figures call for."""
    if cat is None:
        return "Lengkapi perkiraan jumlah pekerja desa ini"
    steps = []
    if cat in (3, 4):
        steps.append(OUTREACH)
    # High drop-off: deal with whichever leak is above the threshold, larger first.
    leaks = sorted([(stalled, FOLLOW_UP), (lapse, CONTINUE)], reverse=True)
    steps += [text for share, text in leaks if share > dropoff_threshold]
    if not steps:
        steps.append(KEEP)
    return "; ".join(steps)


def classify(desa: pd.DataFrame, desa_targets: dict[str, int] | None = None,
             kabupaten_target: int | None = None, coverage_threshold: float | None = None,
             dropoff_threshold: float | None = None) -> pd.DataFrame:
    """Add target, attainment, drop-off, category and action to a desa-level coverage table,
    ranked by gap (largest first): the visit list."""
    cov_t, drop_t = thresholds()
    cov_t = cov_t if coverage_threshold is None else coverage_threshold
    drop_t = drop_t if dropoff_threshold is None else dropoff_threshold
    desa_targets = desa_targets or {}
    out = desa.copy()
    est = pd.to_numeric(out["estimated_workers"], errors="coerce").astype("float64")
    total_est = est.sum(skipna=True)
    own = out["kode"].map(desa_targets).astype("float64")
    share = (kabupaten_target * est / total_est) if (kabupaten_target and total_est > 0) \
        else pd.Series(float("nan"), index=out.index)
    target = own.fillna(share.round()).fillna(est)
    out["target_basis"] = [
        "target desa" if not pd.isna(o) else "bagian target kabupaten" if not pd.isna(s)
        else "perkiraan pekerja" if not pd.isna(e) else "-"
        for o, s, e in zip(own, share, est)]
    out["desa_target"] = target.round().astype("Int64")
    active = pd.to_numeric(out["active"], errors="coerce").fillna(0).astype("float64")
    registered = pd.to_numeric(out["registered"], errors="coerce").fillna(0).astype("float64")
    enrolled = pd.to_numeric(out["enrolled"], errors="coerce").fillna(0).astype("float64")
    lapsed = pd.to_numeric(out["lapsed"], errors="coerce").fillna(0).astype("float64")
    attainment = active / target.where(target > 0)
    stalled = ((registered - enrolled).clip(lower=0) / registered.where(registered > 0)).fillna(0)
    lapse = (lapsed / enrolled.where(enrolled > 0)).fillna(0)
    dropoff = pd.concat([stalled, lapse], axis=1).max(axis=1)
    out["attainment_pct"] = (100 * attainment).round(1)
    out["stalled_pct"] = (100 * stalled).round(1)
    out["lapse_pct"] = (100 * lapse).round(1)
    out["dropoff_pct"] = (100 * dropoff).round(1)
    cats = [category(a, d, cov_t, drop_t) for a, d in zip(attainment, dropoff)]
    out["category"] = pd.array(cats, dtype="Int64")
    out["category_label"] = [CATEGORIES.get(c, NO_DATA) if c is not None else NO_DATA
                             for c in cats]
    out["action"] = [action(c, s, lp, drop_t) for c, s, lp in zip(cats, stalled, lapse)]
    out["_gap"] = pd.to_numeric(out["gap"], errors="coerce").fillna(-10**12)
    out = out.sort_values(["_gap", "kode"], ascending=[False, True], kind="stable")
    out = out.drop(columns="_gap").reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


# ---------------------------------------------------------------- from the database

def desa_scope(con, as_of=None, kecamatan: str | None = None,
               desa_codes: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(desa table, kecamatan table) from coverage_table, limited to a kecamatan and/or to a set
    of desa (an RM's area: the server-side filter of the RM role). The desa table gets the
    kecamatan name in column ``kecamatan``."""
    desa = metrics.coverage_table(con, "desa", as_of=as_of, kecamatan=kecamatan)
    kec = metrics.coverage_table(con, "kecamatan", as_of=as_of)
    if kecamatan:
        kec = kec[kec["kode"] == kecamatan]
    if desa_codes is not None:
        desa = desa[desa["kode"].isin(set(desa_codes))]
        kec = kec[kec["kode"].isin({c.rsplit(".", 1)[0] for c in desa_codes})]
    names = dict(zip(kec["kode"], kec["nama"]))
    desa = desa.assign(kecamatan=desa["kode"].str.rsplit(".", n=1).str[0].map(names))
    return desa.reset_index(drop=True), kec.reset_index(drop=True)


def priority_table(con, year: int, as_of=None, kecamatan: str | None = None,
                   desa_codes: list[str] | None = None) -> pd.DataFrame:
    """Every desa in scope classified and ranked (see classify)."""
    desa, _ = desa_scope(con, as_of, kecamatan, desa_codes)
    month = as_of or metrics.default_month(con) or f"{year}-12"
    goals = {}
    kab_target = None
    for level in ("desa", "kabupaten"):
        t = metrics.targets_for(con, year, level).assign(year=year)
        t = current_targets(t, month)
        t = t[t["granularity"] == "tahun"] if (t["granularity"] == "tahun").any() else t
        if level == "desa":
            goals = {c: int(v) for c, v in zip(t["code"], t["target"])}
        elif len(t):
            kab_target = int(t["target"].iloc[0])
    # Apportion the kabupaten target over the whole kabupaten's estimate, not over the desa in
    # scope, so a desa's share does not depend on the filter.
    if kab_target and (kecamatan or desa_codes is not None):
        everyone = metrics.coverage_table(con, "kabupaten", as_of=as_of)
        total = everyone["estimated_workers"].iloc[0]
        scope = pd.to_numeric(desa["estimated_workers"], errors="coerce").sum()
        kab_target = round(kab_target * scope / total) if total and total > 0 else None
    return classify(desa, goals, kab_target)
