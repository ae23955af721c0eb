"""Command line: ``python -m etl [--db PATH] [--kabupaten CODE] COMMAND ...``.

Commands: load KIND FILE, status, export (coverage, quarantine), demo, publish DIR,
users. Messages for people
are in Indonesian; ``--json`` gives a machine-readable summary. Exit codes: 0 done (also when the
file was already loaded), 2 the input was refused (nothing changed), 1 an unexpected error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import settings


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
                                   "targets, rm-areas, claims, boundaries")
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
    add.add_argument("--role", required=True, choices=["rm", "pimpinan", "admin"])
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
    from . import commands

    try:
        return commands.dispatch(args, db_path, kabupaten)
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
