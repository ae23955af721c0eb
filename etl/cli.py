"""Command line: ``python -m etl [--db PATH] [--kabupaten CODE] COMMAND ...``.

Commands: load KIND FILE, status, export (coverage, quarantine, decisions), decisions list,
demo, publish DIR, users. Messages for people
are in Indonesian; ``--json`` gives a machine-readable summary. Exit codes: 0 done (also when the
file was already loaded), 2 the input was refused (nothing changed), 1 an unexpected error.
"""
# This module (with etl/__main__.py) is the program's composition root: the only place that
# wires etl, geo (boundary loads, the demo's boundaries) and dashboard.publish together, and
# nothing imports it. Every other etl module knows neither geo nor the dashboard. The commands
# that need etl alone are etl.commands and etl.users_command; argparse's help text is the module
# docstring above, so the reasoning lives in this comment.

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from . import commands, db, demo, gazetteer, roles, settings, users_command


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default=None,
                   help=f"database file (default: setting 'db', now {settings.get('db')})")
    p.add_argument("--kabupaten", default=None,
                   help=f"Kemendagri code of the kabupaten (default: {settings.get('kabupaten')})")
    sub = p.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", help="load one file")
    load.add_argument("kind", help="registrations, verification, members, denominators, "
                                   "targets, rm-areas, claims, decisions, boundaries")
    load.add_argument("file")
    load.add_argument("--json", action="store_true", help="print a JSON summary")
    load.add_argument("--sheet", help="Excel sheet to read when the file has several")
    load.add_argument("--encoding", help="text encoding of a CSV (default: detected; e.g. cp1252, "
                      "utf-16, latin-1)")
    load.add_argument("--date", help="members only: the day the export was taken, YYYY-MM-DD "
                                     "(default: from the file, else the day of the load)")
    load.add_argument("--level", choices=["kabupaten", "kecamatan", "desa"],
                      help="boundaries only: the level of the polygons")
    load.add_argument("--code-column", help="boundaries only: the column with Kemendagri codes")
    load.add_argument("--name-column", help="boundaries only: the column with names")
    load.add_argument("--tolerance", type=float,
                      help="boundaries only: simplification tolerance in degrees")

    status = sub.add_parser("status", help="what the database holds")
    status.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write a table as CSV to stdout")
    export_sub = export.add_subparsers(dest="what", required=True)
    cov = export_sub.add_parser("coverage", help="coverage by place (same figures as the dashboard)")
    cov.add_argument("--level", choices=["kabupaten", "kecamatan", "desa"], default="kecamatan")
    cov.add_argument("--sector", action="store_true", help="one row per place and sector")
    cov.add_argument("--as-of", help="month YYYY-MM (default: latest month with data)")
    quar = export_sub.add_parser("quarantine",
                                 help="rejected rows in their original columns, to fix and reload")
    quar.add_argument("--load", type=int, help="one load id (default: all)")
    quar.add_argument("--kind", default=None, help="one input kind")
    dec = export_sub.add_parser("decisions", help="every decision of the planning meetings with "
                                                  "its measured figures (load decisions reads it)")
    dec.add_argument("--as-of", help="month YYYY-MM measured at (default: latest complete month)")

    decisions = sub.add_parser("decisions", help="decisions of the planning meetings (Rapat)")
    decisions_sub = decisions.add_subparsers(dest="action", required=True)
    dec_list = decisions_sub.add_parser("list", help="every decision with its measured figures")
    dec_list.add_argument("--as-of", help="month YYYY-MM (default: latest complete month)")
    dec_list.add_argument("--json", action="store_true")

    demo = sub.add_parser("demo", help="build the demo database (replaces the database file)")
    demo.add_argument("--seed", type=int, default=20231)
    demo.add_argument("--scale", type=float, default=1.0,
                      help="fraction of the realistic size (tests use a small scale)")
    demo.add_argument("--files-dir", default=None,
                      help="where the generated input files are written (default: beside the "
                           "database, <name>_demo_files/)")
    demo.add_argument("--boundaries", default=None,
                      help="folder or files of boundaries (default: the setting boundaries_path, "
                           "else the bundled ones of geo/bundled, else ../shared/geo)")
    demo.add_argument("--force", action="store_true",
                      help="replace the database even when it holds real (non-demo) data")
    demo.add_argument("--json", action="store_true")

    publish = sub.add_parser("publish", help="write the static public transparency site "
                                             "(HTML, map, open data) into a folder")
    publish.add_argument("dir", help="folder to write (created; replaced only when it is a "
                                     "site this command wrote before)")
    publish.add_argument("--json", action="store_true", help="print a JSON summary")

    users = sub.add_parser("users", help="manage dashboard accounts (local config, not the repo)")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(roles.ACCOUNT_ROLES))
    add.add_argument("--name", default=None)
    add.add_argument("--rm-id", default=None, help="for role rm: the RM id of the user's area")
    add.add_argument("--password", default=None, help="default: asked without echo")
    users_sub.add_parser("list")
    rm = users_sub.add_parser("remove")
    rm.add_argument("username")
    pw = users_sub.add_parser("password", help="change a password (ends the account's sessions)")
    pw.add_argument("username")
    pw.add_argument("--password", default=None, help="default: asked without echo")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from . import private_files

    # The database, its copies, the demo's input files and logs hold personal data: private.
    private_files.secure_process()
    db_path = Path(args.db or settings.get("db"))
    kabupaten = args.kabupaten or settings.get("kabupaten")
    try:
        return dispatch(args, db_path, kabupaten)
    except BrokenPipeError:
        # The reader stopped reading (`export ... | head`): that is not an error. Point stdout
        # at /dev/null so the interpreter's final flush does not fail again.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except commands.Refused as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the details in a log
        log = _log_traceback()
        print(f"GAGAL karena kesalahan tak terduga ({type(exc).__name__}: {exc}). Basis data "
              f"tidak berubah. Rincian untuk pengembang: {log}", file=sys.stderr)
        return 1


def dispatch(args, db_path: Path, kabupaten: str) -> int:
    with commands.refusing():
        if args.command == "load":
            if args.kind == "boundaries":
                from geo.boundaries import load_boundaries

                summary = load_boundaries(args.file, level=args.level, db_path=db_path,
                                          kabupaten_code=kabupaten, code_column=args.code_column,
                                          name_column=args.name_column, tolerance=args.tolerance)
            else:
                summary = commands.load_tabular(args, db_path, kabupaten)
            return commands.print_load(args, summary)
        if args.command == "status":
            return commands.cmd_status(args, db_path)
        if args.command == "export":
            return commands.cmd_export(args, db_path)
        if args.command == "decisions":
            return commands.cmd_decisions(args, db_path)
        if args.command == "demo":
            try:
                summary = build_demo(db_path=db_path, kabupaten_code=kabupaten, seed=args.seed,
                                     scale=args.scale, files_dir=args.files_dir,
                                     boundaries=args.boundaries, replace_real=args.force)
            except demo.RealDatabase as exc:
                raise commands.Refused(str(exc)) from None
            print(json.dumps(summary, ensure_ascii=False, indent=2, default=str) if args.json
                  else summary.get("message", "Demo selesai."))
            return 0
        if args.command == "publish":
            return publish(args, db_path)
        if args.command == "users":
            return users_command.command(args, db_path)
    raise commands.Refused(f"Perintah tidak dikenal: {args.command}")


def build_demo(db_path: str | Path | None = None, kabupaten_code: str | None = None,
               seed: int = 20231, scale: float = 1.0, files_dir: str | Path | None = None,
               boundaries: str | Path | None = None, as_of: dt.date | None = None,
               replace_real: bool = False) -> dict:
    """The demo build: generate the files (etl.demo), load the tabular ones (etl's loaders),
    then the boundaries (geo), into a new database swapped in for the old one (etl.db); return
    the summary the command prints. A database holding real data is never replaced unless
    replace_real is set (demo.RealDatabase)."""
    started = time.perf_counter()
    db_path = Path(db_path or settings.get("db")).resolve()
    demo.check_replaceable(db_path, replace_real)
    kabupaten_code = kabupaten_code or settings.get("kabupaten")
    kab = gazetteer.kabupaten(kabupaten_code)
    as_of = as_of or dt.date.today()
    files_dir = Path(files_dir) if files_dir else demo.files_dir_for(db_path)
    generated = demo.generate_files(kabupaten_code, seed, scale, files_dir, as_of)
    t_files = time.perf_counter() - started
    with db.replacement(db_path) as new:
        loads, skipped = demo.load_tabular(generated["files"], new, kabupaten_code, as_of)
        boundary_note = _demo_boundaries(new, kabupaten_code, boundaries, loads)
        meetings = demo.add_meetings(new)
        figures = demo.headline_figures(new, as_of)
    seconds = time.perf_counter() - started
    message = commands.demo_message(kab, db_path, demo.dashboard_figures(db_path), figures,
                                    boundary_note, skipped, seconds, generated["files"])
    return {"message": message, "database": str(db_path), "kabupaten": kabupaten_code,
            "seed": seed, "scale": scale, "as_of": as_of.isoformat(),
            "files_dir": str(files_dir),
            "files": {k: [str(p) for p in v] for k, v in generated["files"].items()},
            "generated": generated["truth"], "loads": loads, "not_loaded": skipped,
            "boundaries": boundary_note, "figures": figures, "meetings": meetings,
            "seconds": round(seconds, 1), "seconds_generating_files": round(t_files, 1)}


def _demo_boundaries(db_path: Path, kabupaten_code: str, boundaries, loads: list) -> dict:
    """Load the demo's boundary files (geo.bundle.find_boundaries) into db_path; the note the
    summary gives of them."""
    from geo import bundle
    from geo.boundaries import load_boundaries

    found = bundle.find_boundaries(kabupaten_code, boundaries)
    if not found:
        configured = boundaries or settings.get("boundaries_path")
        where = (f"di {configured} (--boundaries / setelan boundaries_path)" if configured
                 else "yang dibawa repositori ini")
        where = f"Tidak ada berkas batas wilayah {kabupaten_code} {where}"
        return {"loaded": [], "note": f"{where}; peta belum tersedia. Muat dengan: python -m etl "
                                      "load boundaries BERKAS --level desa"}
    done = []
    for level in ("kecamatan", "desa"):
        if level in found:
            t0 = time.perf_counter()
            s = load_boundaries(found[level], level=level, db_path=db_path,
                                kabupaten_code=kabupaten_code, options={"demo": True})
            loads.append(demo.load_brief(s, time.perf_counter() - t0))
            done.append({"level": level, "file": str(found[level]), "features": s.accepted,
                         "unmatched": s.quarantined})
    return {"loaded": done, "note": "Batas wilayah dimuat dari " +
            ", ".join(str(p) for p in found.values())}


def publish(args, db_path: Path) -> int:
    """``publish DIR``: the static public site (dashboard.publish) from the database."""
    from dashboard.publish import PublishError
    from dashboard.publish import publish as write_site

    con = db.connect_readonly(db_path)
    try:
        site = write_site(con, Path(args.dir))
    except PublishError as exc:
        raise commands.Refused(str(exc)) from None
    finally:
        con.close()
    if args.json:
        print(json.dumps({"dir": str(site.path), "as_of": site.as_of, "bytes": site.size,
                          "files": site.files}, ensure_ascii=False, indent=2))
    else:
        print(f"Situs transparansi (keadaan akhir {site.as_of}) ditulis ke {site.path}: "
              f"{len(site.files)} berkas, {site.size / 1e6:.2f} MB. Buka {site.path / 'index.html'} "
              "atau unggah foldernya ke server web mana pun.")
    return 0


def _log_traceback() -> str:
    """Append the current traceback to <config dir>/errors.log; return where it went."""
    import datetime as dt
    import traceback

    path = settings.config_dir() / "errors.log"
    try:
        from . import private_files

        private_files.append_private(path, f"--- {dt.datetime.now().isoformat(timespec='seconds')} "
                                     f"{' '.join(sys.argv)}\n{traceback.format_exc()}\n")
        return str(path)
    except OSError:
        traceback.print_exc()
        return "di atas"
