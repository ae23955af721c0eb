"""The command line's etl side: what the commands that need etl alone do (load of a tabular
file, status, export) and the Indonesian text the commands print (load reports, status, the
demo's summary). etl.cli, the composition root, parses the arguments and wires in the steps that
need geo or the dashboard.

Input problems (bad file, missing column, unknown kabupaten, key mismatch) raise Refused, which
the CLI turns into a clear message and exit code 2, with nothing changed.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from . import db, formats, reasons, spreadsheets
from .columns import MissingColumns
from .gazetteer import UnknownKabupaten
from .identity import KeyMismatch
from .readers import InputError
from .sectors import KeywordFileError


class Refused(Exception):
    """The command was refused for a reason the user can fix; nothing changed."""


@contextmanager
def refusing():
    """Turn input problems into Refused: the file, the kabupaten or the keys are wrong (the
    user can fix it), or there is no database yet."""
    try:
        yield
    except (InputError, MissingColumns, UnknownKabupaten, KeyMismatch, KeywordFileError,
            db.DatabaseMissing) as exc:
        if isinstance(exc, db.DatabaseMissing):
            raise Refused(f"Basis data {exc} belum ada: muat berkas dulu atau jalankan "
                          "'python -m etl demo'.") from None
        raise Refused(str(exc)) from None


def load_tabular(args, db_path: Path, kabupaten: str):
    """``load KIND FILE`` for a tabular kind; returns the load's summary."""
    from . import loaders

    try:
        loaders.get(args.kind)
    except (KeyError, ModuleNotFoundError):
        raise Refused(f"Jenis berkas '{args.kind}' tidak dikenal. Pilihan: "
                      f"{', '.join(loaders.available() + ['boundaries'])}.") from None
    options = {}
    if getattr(args, "date", None):
        if args.kind != "members":
            raise Refused("--date hanya untuk data kepesertaan BPJS (load members): "
                          "tanggal berkas itu menentukan sampai kapan iuran diketahui.")
        options["export_date"] = args.date
    return loaders.load_file(args.kind, args.file, db_path=db_path, kabupaten_code=kabupaten,
                             sheet=args.sheet, encoding=args.encoding, options=options)


def print_load(args, summary) -> int:
    """Print a load's summary (tabular or boundaries): JSON with --json, else the report."""
    if args.json:
        print(summary.to_json())
    else:
        print(report_text(summary))
    return 0


def report_text(s) -> str:
    """The short Indonesian report of a load."""
    if s.already_loaded:
        return (f"Berkas {s.file} sudah pernah dimuat (isi sama persis); tidak ada yang berubah.")
    from .loaders import LABELS

    kind = LABELS.get(s.kind, s.kind)
    lines = [f"Berkas {s.file} dimuat sebagai {kind} (muatan #{s.load_id}).",
             f"  Baris dibaca      : {_n(s.rows_read)}",
             f"  Diterima          : {_n(s.accepted)}",
             f"  Dikarantina       : {_n(s.quarantined)}",
             f"  Sudah dikenal ({_KNOWN.get(s.kind, 'sudah tersimpan')}): {_n(s.duplicates)}"]
    if s.reasons:
        lines.append("  Alasan karantina:")
        for code, n in s.reasons.items():
            lines.append(f"    {_n(n):>9}  {code}: {reasons.describe(code)}")
        lines.append("  Perbaiki baris karantina dengan: python -m etl export quarantine "
                     f"--load {s.load_id} > perbaikan.csv, lalu muat ulang berkas perbaikan.")
    for key, value in (s.extra or {}).items():
        if key.startswith("_") or key in _DETAILS_ONLY_IN_JSON:
            continue
        label, describe = _EXTRA.get(key, (key, None))
        if describe is not None:
            value = describe(value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {_n(v)}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        lines.append(f"  {label}: {_n(value)}")
    return "\n".join(lines)


def _rows_path(path: dict) -> str:
    judged, seen = _n(path.get("rows_judged", 0)), _n(path.get("rows_seen_before", 0))
    if path.get("path") == "incremental":
        return f"{judged} baris baru atau berubah dinilai; {seen} baris sudah dikenal"
    return f"semua {judged} baris dinilai ({path.get('reason', 'penilaian penuh')})"


def _marts(done: dict) -> str:
    if done.get("marts") == "incremental":
        return f"diperbarui untuk {_n(done.get('people', 0))} orang yang tersentuh"
    return "dibangun ulang" + (f" ({done['reason']})" if done.get("reason") else "")


# What "known already" means for a kind of file (the load report's line).
_KNOWN = {"registrations": "NIK/baris sama", "members": "NIK/baris sama",
          "verification": "NIK/baris sama"}
_DATE_ORDERS = {"dmy": "hari/bulan/tahun (dd/mm/yyyy)", "mdy": "bulan/hari/tahun (mm/dd/yyyy)"}
# What the load report says about each detail of LoadSummary.extra, in Indonesian (a detail not
# listed here is printed under its own name; --json keeps every key as it is).
_EXTRA = {
    "encoding": ("Pengodean berkas", None),
    "delimiter": ("Pemisah kolom", None),
    "header_row": ("Baris judul kolom", None),
    "zip_member": ("Berkas di dalam zip", None),
    "sheet": ("Lembar", None),
    "hidden_sheets_skipped": ("Lembar tersembunyi dilewati", None),
    "merged_cells_filled": ("Sel gabungan diisi", None),
    "merged_columns": ("Kolom ganda digabung", None),
    "flags": ("Tanda untuk verifikator", None),
    "same_submission_seen_before": ("Kiriman yang sudah tersimpan", None),
    "date_order": ("Urutan tanggal", lambda v: _DATE_ORDERS.get(v, v)),
    "date_order_evidence": ("Dasar urutan tanggal", None),
    "rows_path": ("Penilaian baris", _rows_path),
    "marts": ("Ringkasan dasbor", _marts),
    "export_date": ("Tanggal ekspor", None),
    "export_date_source": ("Sumber tanggal ekspor", None),
    "persons": ("Orang", None),
    "decisions": ("Keputusan", None),
    "not_registered": ("Tidak terdaftar di formulir", None),
    "programs": ("Program", None),
    "amount_total": ("Jumlah (Rp)", None),
    "replaced": ("Menggantikan muatan", None),
    "desa": ("Desa", None),
    "years": ("Tahun", None),
    "levels": ("Tingkat", None),
    "rm_unchecked": ("RM belum diperiksa", None),
    "rms": ("RM", None),
    "removed": ("Dihapus", None),
    "desa_moved": ("Desa berpindah RM", None),
    "meetings": ("Rapat", None),
}
# Digests of the judging context (etl/loaders/registrations_incremental.py): for developers.
_DETAILS_ONLY_IN_JSON = {"judging"}


def _n(number) -> str:
    """A count with the Indonesian thousands separator (12.345); anything else as it is."""
    return formats.fmt_int(number) if isinstance(number, int) else str(number)


def cmd_status(args, db_path: Path) -> int:
    con = db.connect_readonly(db_path)
    try:
        status = database_status(con, db_path)
    finally:
        con.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Basis data: {db_path}")
    print(f"Kabupaten : {status['kabupaten_code']}  (demo: {'ya' if status['is_demo'] else 'tidak'})")
    span, funnel = status["data_span"], status["funnel"]
    if span and span.get("last_day"):
        running = (f"; bulan {span['provisional_month']} masih berjalan (sementara)"
                   if span.get("provisional_month") else "")
        print(f"Data sampai: {span['last_day']} (ekspor kepesertaan {span['export_date'] or '-'})"
              f"{running}")
    if funnel:
        # The same counts and names as the dashboard's funnel (etl.metrics.funnel).
        from .metrics import FUNNEL_STEPS, OTHER_CHANNEL_LABEL, TOTAL_ACTIVE_LABEL

        width = max(len(label) for _, label in
                    [*FUNNEL_STEPS, ("", OTHER_CHANNEL_LABEL), ("", TOTAL_ACTIVE_LABEL)]) + 1
        print(f"Alur pendaftaran, keadaan akhir {funnel['month']}:")
        for key, label in FUNNEL_STEPS:
            print(f"  {label:<{width}}: {_n(funnel[key])}")
        print(f"  {OTHER_CHANNEL_LABEL:<{width}}: {_n(funnel['other_channel'])} "
              f"(aktif {_n(funnel['other_channel_active'])})")
        print(f"  {TOTAL_ACTIVE_LABEL:<{width}}: {_n(funnel['active'])}")
    print("Muatan:")
    for ld in status["loads"]:
        print(f"  #{ld['load_id']:>3} {ld['loaded_at']} {ld['kind']:<14} {ld['source_file']}: "
              f"{ld['accepted']} diterima, {ld['quarantined']} dikarantina")
    print("Baris per tabel:")
    for name, n in status["tables"].items():
        print(f"  {name:<32} {_n(n):>12}")
    return 0


def database_status(con, db_path: Path) -> dict:
    meta = con.execute("SELECT kabupaten_code, is_demo, created_at FROM meta.database").fetchone()
    loads = con.execute(
        "SELECT load_id, kind, source_file, file_sha256, loaded_at, rows_read, accepted, "
        "quarantined, duplicates FROM meta.loads ORDER BY load_id").fetchall()
    cols = ["load_id", "kind", "source_file", "file_sha256", "loaded_at", "rows_read", "accepted",
            "quarantined", "duplicates"]
    tables = con.execute(
        "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
        "WHERE database_name = current_database() ORDER BY 1").fetchall()
    counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
              for name, _ in tables}
    return {
        "database": str(db_path),
        "kabupaten_code": meta[0] if meta else None,
        "is_demo": bool(meta[1]) if meta else False,
        "created_at": meta[2] if meta else None,
        "participants": con.execute(
            "SELECT count(*) FROM core.participants").fetchall()[0][0] if meta else 0,
        "loads": [dict(zip(cols, row)) for row in loads],
        "tables": counts,
        **_funnel_status(con),
    }


def _funnel_status(con) -> dict:
    """The data's span and the funnel at the month the dashboard opens on (etl.metrics)."""
    from . import metrics

    span = metrics.data_span(con)
    if span.default_month is None:
        return {"data_span": span._asdict(), "funnel": None}
    counts = metrics.funnel(con, as_of=span.default_month)
    return {"data_span": span._asdict(),
            "funnel": {"month": span.default_month,
                       **{k: v for k, v in counts.items() if not k.startswith("median")}}}


def cmd_export(args, db_path: Path) -> int:
    con = db.connect_readonly(db_path)
    try:
        if args.what == "coverage":
            from . import metrics

            try:
                month = metrics.check_month(con, args.as_of)
                # with_unknown: people whose desa is unknown are a row of their own, so the
                # rows of any level add up to the kabupaten.
                frame = metrics.coverage_table(con, level=args.level, by_sector=args.sector,
                                               as_of=month, with_unknown=True)
            except ValueError as exc:  # a month unreadable or after the data, in Indonesian
                raise Refused(str(exc)) from None
            # The file says which month it holds, and whether that month is still running
            # (its figures only up to the data's last day; pending premiums not lapses yet).
            frame["bulan"] = month
            frame["sementara_sd"] = metrics.provisional_through(con, month) or ""
        elif args.what == "decisions":
            from . import decisions

            frame = decisions.export_frame(_measured(con, args.as_of))
        elif args.what == "quarantine":
            frame = quarantine_frame(con, load_id=args.load, kind=args.kind)
            # Full rows, personal data included: accounted for in the access log.
            from . import access_log

            what = "export quarantine" + (f" --load {args.load}" if args.load else "") + (
                f" --kind {args.kind}" if args.kind else "")
            access_log.record_cli("ekspor", what, len(frame))
        else:
            raise Refused(f"Ekspor tidak dikenal: {args.what}")
    finally:
        con.close()
    spreadsheets.write_csv(frame, sys.stdout)
    return 0


def _measured(con, as_of):
    """Every decision measured at `as_of` (etl.decisions.measure); a month unreadable or after
    the data is refused in Indonesian."""
    from . import decisions

    try:
        return decisions.measure(con, as_of)
    except ValueError as exc:
        raise Refused(str(exc)) from None


def cmd_decisions(args, db_path: Path) -> int:
    """``decisions list [--json]``: every decision with its measured figures."""
    from . import decisions

    con = db.connect_readonly(db_path)
    try:
        frame = _measured(con, args.as_of)
    finally:
        con.close()
    if args.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if frame.empty:
        print("Belum ada keputusan rapat. Catat di halaman Rapat, atau muat dengan: "
              "python -m etl load decisions BERKAS")
        return 0
    for r in frame.itertuples(index=False):
        comparison = ("" if formats.is_missing(r.comparison_basis) else
                      f", pembanding {formats.fmt_decimal(r.comparison_gain)} "
                      f"({decisions.COMPARISON_LABELS[r.comparison_basis]}, "
                      f"{_n(int(r.comparison_places))})")
        print(f"#{r.decision_id} rapat {r.held_on} · {r.place_name} · {r.action_label} · "
              f"{r.owner_label} · jatuh tempo {r.due_month}: aktif {_n(int(r.active_base))} -> "
              f"{_n(int(r.active_now))} ({formats.fmt_signed(int(r.gain))}{comparison}), "
              f"bersih {formats.fmt_decimal(r.net_gain)} dari {_n(int(r.expected_gain))} "
              f"diharapkan: {r.status_label} [{decisions.STATE_LABELS[r.state]}]")
    return 0


def quarantine_frame(con, load_id: int | None = None, kind: str | None = None):
    """Rejected rows with their original columns plus row number and reason, ready to fix."""
    import pandas as pd

    rows = con.execute(
        "SELECT load_id, kind, source_file, row_number, reason_code, original FROM "
        "meta.quarantine WHERE (? IS NULL OR load_id = ?) AND (? IS NULL OR kind = ?) "
        "ORDER BY load_id, row_number", [load_id, load_id, kind, kind]).fetchall()
    records = []
    for lid, k, src, row_no, code, original in rows:
        rec = {"_muatan": lid, "_jenis": k, "_berkas": src, "_baris": row_no,
               "_alasan": code, "_keterangan": reasons.describe(code)}
        rec.update(json.loads(original))
        records.append(rec)
    return pd.DataFrame.from_records(records)


def demo_message(kab, db_path: Path, d: dict, f: dict, boundary_note: dict, skipped: list,
                 seconds: float, files: dict) -> str:
    """What ``demo`` prints: where the demo is, and the headline the dashboard shows (d)."""
    n = formats.fmt_int
    coverage = formats.fmt_percent(d.get("coverage_pct"))
    lines = [f"Demo {kab.name} ({kab.code}) dibuat di {db_path} dalam {seconds:.0f} detik.",
             f"  Berkas masukan: {Path(next(iter(files.values()))[0]).parent}",
             f"  Keadaan akhir {d.get('month')} (angka yang sama dengan dasbor):",
             f"  Terdaftar             : {n(d.get('registered'))}",
             f"  Terverifikasi         : {n(d.get('verified'))}",
             f"  Peserta BPJS          : {n(d.get('enrolled'))}",
             f"  Aktif (iuran dibayar) : {n(d.get('active'))}  cakupan {coverage}",
             f"  Estimasi pekerja      : {n(d.get('estimated_workers'))}",
             f"  Belum terlindungi     : {n(d.get('gap'))}",
             f"  Baris dikarantina     : {n(f.get('quarantined'))}",
             f"  {boundary_note['note']}"]
    if skipped:
        lines.append(f"  Belum dimuat (pemuat belum ada): {', '.join(skipped)}")
    return "\n".join(lines)
