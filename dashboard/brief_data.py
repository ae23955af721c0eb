"""The figures of the PDF planning brief: everything it prints, as plain values and frames, from
the same functions as the pages (etl.metrics, dashboard.targets, dashboard.priority,
dashboard.sectors), so the brief and the dashboard never disagree. Aggregates by place only."""

from __future__ import annotations

import pandas as pd

from etl import metrics

from . import priority, sectors, targets

TOP_DESA = 10


def gather(con, kecamatan: str | None = None, rm_id: str | None = None) -> dict:
    """Everything the brief prints, as plain values and frames (for an RM's area: only that
    area, see _gather_rm)."""
    as_of = metrics.default_month(con)   # the latest complete month, as on the pages
    if as_of is None:
        raise ValueError("Belum ada data: muat berkas atau jalankan demo dulu.")
    year = int(as_of[:4])
    if rm_id:
        return _gather_rm(con, rm_id, as_of, year)
    level = "kecamatan" if kecamatan else "kabupaten"
    place = metrics.coverage_table(con, level, as_of=as_of)
    if kecamatan:
        place = place[place["kode"] == kecamatan]
        if place.empty:
            raise ValueError(f"Kecamatan {kecamatan} tidak dikenal.")
    row = place.iloc[0]
    status = targets.target_status(con, year, as_of, kecamatan=kecamatan)
    own = status[status["level"] == level]
    if kecamatan:
        own = own[own["code"] == kecamatan]
    yearly = own[own["granularity"] == "tahun"] if "granularity" in own else own
    target_row = (yearly if len(yearly) else own).head(1)
    children = status[status["level"] == "kecamatan"] if not kecamatan else status.iloc[0:0]
    prio = priority.priority_table(con, year, as_of, kecamatan=kecamatan)
    prio = prio[pd.to_numeric(prio["gap"], errors="coerce").fillna(0) > 0]
    prio = prio.sort_values("gap", ascending=False).head(TOP_DESA)
    report = sectors.sector_report(con, year, as_of, kecamatan=kecamatan)
    flagged = report["sectors"]
    flagged = flagged[flagged["flagged"]].sort_values("gap", ascending=False)
    desa = metrics.coverage_table(con, "desa", as_of=as_of, kecamatan=kecamatan)
    return {
        "as_of": as_of, "year": year, "level": level, "kecamatan": kecamatan,
        "provisional_through": metrics.provisional_through(con, as_of),
        "estimate_note": metrics.estimate_year_note(place),
        "place_name": _place_name(row, level),
        "data_date": metrics.data_date(con).data_date,
        "active": row["active"], "estimated": row["estimated_workers"],
        "coverage_pct": row["coverage_pct"], "gap": row["gap"],
        "target": target_row.iloc[0] if len(target_row) else None,
        "children": children, "priority": prio, "sectors": flagged, "desa": desa,
        "kecamatan_table": metrics.coverage_table(con, "kecamatan", as_of=as_of)
        if not kecamatan else None,
        "map": _map_layers(con, kecamatan),
    }


def _gather_rm(con, rm_id: str, as_of: str, year: int) -> dict:
    """The brief of one RM's area: its desa only (the headline, sectors and desa are
    etl.metrics figures restricted to them, as on the RM's pages; the RM target, the priority
    desa among them, the map of them)."""
    areas = targets.rm_areas(con)
    mine = areas[areas["rm_id"] == rm_id]
    if mine.empty:
        raise ValueError(f"Wilayah RM {rm_id} belum dikaitkan dengan desa mana pun.")
    codes = tuple(sorted(mine["desa_code"]))
    desa = metrics.coverage_table(con, "desa", as_of=as_of, desa_codes=codes)
    area = metrics.coverage_table(con, "kabupaten", as_of=as_of, desa_codes=codes).iloc[0]
    report = sectors.sector_report(con, year, as_of, desa_codes=codes)
    flagged = report["sectors"]
    flagged = flagged[flagged["flagged"]].sort_values("gap", ascending=False)
    status = targets.target_status(con, year, as_of, rm_id=rm_id)
    own = status[(status["level"] == "rm") & (status["code"] == rm_id)]
    prio = priority.priority_table(con, year, as_of, desa_codes=codes)
    prio = prio[pd.to_numeric(prio["gap"], errors="coerce").fillna(0) > 0]
    layers = _map_layers(con, None)
    if layers is not None:
        layers = {"desa": layers["desa"][layers["desa"]["code"].isin(codes)],
                  "outline": layers["outline"][layers["outline"]["code"].isin(
                      {c.rsplit(".", 1)[0] for c in codes})]}
        if layers["desa"].empty:
            layers = None
    return {
        "as_of": as_of, "year": year, "level": "rm", "kecamatan": None, "rm_id": rm_id,
        "place_name": f"Wilayah {rm_id}",
        "data_date": metrics.data_date(con).data_date,
        "provisional_through": metrics.provisional_through(con, as_of),
        "estimate_note": metrics.estimate_year_note(desa),
        "active": area["active"], "estimated": area["estimated_workers"],
        "coverage_pct": area["coverage_pct"], "gap": area["gap"],
        "target": own.iloc[0] if len(own) else None,
        "children": status.iloc[0:0],
        "priority": prio.sort_values("gap", ascending=False).head(TOP_DESA),
        "sectors": flagged, "desa": desa, "kecamatan_table": None, "map": layers,
    }


def _place_name(row, level: str) -> str:
    name = str(row["nama"]).title()
    if level == "kecamatan":
        return f"Kecamatan {name}"
    return name if name.lower().startswith(("kab", "kota")) else f"Kabupaten {name}"


def _map_layers(con, kecamatan: str | None) -> dict | None:
    try:
        from geo.boundaries import read_layer
    except ImportError:
        return None
    desa = read_layer(con, "desa", parent=kecamatan)
    if desa.empty:
        return None
    outline = read_layer(con, "kecamatan")
    if kecamatan:
        outline = outline[outline["code"] == kecamatan]
    return {"desa": desa, "outline": outline}
