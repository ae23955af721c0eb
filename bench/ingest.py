"""Ingest benchmark: how close `load registrations` comes to the I/O floor and to the required
work, and what next week's cumulative export costs.

Generates a realistic messy export (default 2,000,000 rows: ~1.5% bad rows, ~2% repeats), then
prints, from the same run: the time of a plain DuckDB count(*) over the CSV (the floor), the
"required work" reference (read every column, hash every NIK, write one table), the time of the
full `python -m etl load registrations` into a fresh database (a separate process, as a user runs
it) and its ratio to the required work, then next week's cumulative export (the same rows, a few
corrected, plus 2% new) into that database and its ratio to the first load, and the loads' peak
memory. It also checks that quarantined rows carry the right row numbers.

    python bench/ingest.py                 # 2,000,000 rows
    python bench/ingest.py --rows 20000000 # the 8 GB memory check

Goals (issue 16): first load at most 2x the required work; next week's export at most 30% of the
first load; 20,000,000 rows within 8 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.export_generator import write_export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--dir", default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="cakupan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"export_{args.rows}.csv"
    db_path = work / "bench.duckdb"
    for stale in work.glob("bench.duckdb*"):
        stale.unlink()

    t = time.perf_counter()
    write_export(csv_path, args.rows)
    generate_s = time.perf_counter() - t
    size_mb = csv_path.stat().st_size / 1e6

    # The floor is short and noisy: the median of three runs.
    con = duckdb.connect()
    floors = []
    for _ in range(3):
        t = time.perf_counter()
        counted = con.execute("SELECT count(*) FROM read_csv(?, all_varchar=true)",
                              [str(csv_path)]).fetchall()[0][0]
        floors.append(time.perf_counter() - t)
    floor_s = sorted(floors)[1]
    con.close()

    plain_s = _plain_pipeline(csv_path, work / "plain.duckdb")
    required_s = _required_work(csv_path, work / "required.duckdb")
    startup_s = _startup()

    env = {**os.environ, "CAKUPAN_CONFIG_DIR": str(work / "config"),
           "CAKUPAN_SECRET_KEY": "bench-key"}
    load_s, summary = _load(db_path, csv_path, env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows_ok = _row_numbers_match(db_path, csv_path, env)

    # The weekly case: next week's cumulative export (this one, a few rows corrected, plus 2%
    # new rows) into the database just loaded.
    next_week = _cumulative(csv_path, work, max(1, args.rows // 50))
    next_s, next_summary = _load(db_path, next_week, env)
    next_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    path = next_summary["extra"].get("rows_path", {})

    print(f"rows generated           : {args.rows:,} ({size_mb:,.0f} MB CSV, {generate_s:.1f} s)")
    print(f"count(*) over the CSV    : {counted:,} rows in {floor_s:.2f} s  (I/O floor)")
    print(f"load registrations       : {load_s:.2f} s  ({args.rows / load_s:,.0f} rows/s)")
    print(f"ratio load / floor       : {load_s / floor_s:.1f}  (goal <= 10)")
    print(f"plain DuckDB pipeline    : {plain_s:.2f} s  (ratio {plain_s / floor_s:.1f}; the "
          f"full load is {load_s / plain_s:.1f}x it)")
    print(f"required work            : {required_s:.2f} s  (ratio {required_s / floor_s:.1f}: read "
          f"every column, hash every NIK, write one table; no rule applied)")
    print(f"process start + imports  : {startup_s:.2f} s  (part of the load's time)")
    print(f"first load / required    : {load_s / required_s:.1f}  (goal <= 2)")
    print(f"peak memory of the load  : {peak_mb:,.0f} MB  (goal: 20M rows within 8 GB; "
          f"both loads {next_peak_mb:,.0f} MB)")
    print(f"accepted / quarantined   : {summary['accepted']:,} / {summary['quarantined']:,}  "
          f"duplicates {summary['duplicates']:,}")
    print(f"quarantine reasons       : {summary['reasons']}")
    print(f"row numbers match file   : {'yes' if rows_ok else 'NO'}")
    print(f"next week's export       : {next_s:.2f} s  (+2% rows, {CORRECTED_EVERY:,}th rows "
          f"corrected; {next_summary['extra']['same_submission_seen_before']:,} submissions "
          f"seen before)")
    print(f"next week / first load   : {next_s / load_s:.2f}  (goal <= 0.30; rows "
          f"{path.get('path', '?')}: {path.get('rows_judged', 0):,} judged, "
          f"{path.get('rows_seen_before', 0):,} seen before; marts "
          f"{next_summary['extra'].get('marts', {}).get('marts', 'full')})")


def _load(db_path: Path, csv_path: Path, env: dict) -> tuple[float, dict]:
    """`python -m etl load registrations` in its own process, as a user runs it."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "etl", "--db", str(db_path), "load",
                           "registrations", str(csv_path), "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"load failed:\n{proc.stderr}")
    return seconds, json.loads(proc.stdout)


# Every this-many-th row of next week's export is corrected (its phone number changed).
CORRECTED_EVERY = 10_000


def _cumulative(csv_path: Path, work: Path, extra_rows: int) -> Path:
    """This export with every CORRECTED_EVERY-th row corrected and `extra_rows` rows of other
    people appended (another seed)."""
    extra = write_export(work / "extra.csv", extra_rows, seed=8)
    target = work / f"{csv_path.stem}_next_week.csv"
    with open(target, "wb") as out:
        with open(csv_path, "rb") as fh:
            for number, line in enumerate(fh):
                if number % CORRECTED_EVERY == CORRECTED_EVERY - 1 and line.endswith(b"\n"):
                    line = line[:-2] + (b"1" if line[-2:-1] != b"1" else b"2") + b"\n"
                out.write(line)
        with open(extra, "rb") as fh:
            fh.readline()  # its header
            while chunk := fh.read(1 << 24):
                out.write(chunk)
    return target


def _plain_pipeline(csv_path: Path, db_path: Path) -> float:
    """A reference: the least a validating load does (read, clean and check the NIK, parse the
    birth date, drop repeated NIKs, write one table), in plain DuckDB SQL, for comparison."""
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    t = time.perf_counter()
    con.execute(f"""
        CREATE TABLE people AS
        SELECT nik, arg_max(birth, ts) AS birth, arg_max(desa, ts) AS desa, max(ts) AS ts
        FROM (SELECT regexp_replace(c2, '[ .\\-]', '', 'g') AS nik,
                     try_strptime(c4, '%m/%d/%Y')::DATE AS birth, c7 AS desa,
                     try_strptime(c0, '%m/%d/%Y %H:%M:%S') AS ts
              FROM read_csv(?, all_varchar=true, header=true,
                            names=['c0','c1','c2','c3','c4','c5','c6','c7','c8','c9']))
        WHERE regexp_full_match(nik, '[0-9]{{16}}') AND birth IS NOT NULL
        GROUP BY nik""", [str(csv_path)])
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t
    con.close()
    return seconds


def _required_work(csv_path: Path, db_path: Path) -> float:
    """A floor for any load that keeps the data: read every column, compute the keyed person key
    of every row (etl/identity.py's hash), write all rows to one table on disk. No rule, no
    quarantine, no second table."""
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    prefix = "0" * 64
    t = time.perf_counter()
    con.execute(f"""
        CREATE TABLE submissions AS
        SELECT ('0x' || left(sha256('{prefix}' || c2), 32))::UHUGEINT AS person_key, *
        FROM read_csv(?, all_varchar=true, header=true,
                      names=['c0','c1','c2','c3','c4','c5','c6','c7','c8','c9'])""",
                [str(csv_path)])
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t
    con.close()
    return seconds


def _startup() -> float:
    """Starting Python and importing what `python -m etl load` imports, best of three."""
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import etl.loading, etl.loaders.registrations, "
                        "etl.gazetteer, etl.sectors"], cwd=REPO, check=True)
        runs.append(time.perf_counter() - t)
    return min(runs)


def _row_numbers_match(db_path: Path, csv_path: Path, env: dict) -> bool:
    """The NIK cell of up to 200 quarantined rows, spread over the whole file (rows are read on
    both cores), equals the NIK on that line of the file."""
    import csv

    sys.path.insert(0, str(REPO))
    from etl import db

    con = db.connect_readonly(db_path)
    sample = con.execute("SELECT row_number, original FROM meta.quarantine "
                         "WHERE load_id = (SELECT min(load_id) FROM meta.loads) "
                         "ORDER BY hash(row_number) LIMIT 200").fetchall()
    con.close()
    wanted = {r: json.loads(o) for r, o in sample}
    if not wanted:
        return True
    found = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        last = max(wanted)
        for number, line in enumerate(reader, start=1):
            if number in wanted:
                found[number] = dict(zip(header, line))
            if number >= last:
                break
    nik_header = header[2]
    return all((found[n].get(nik_header) or None) == wanted[n].get(nik_header) for n in wanted)


if __name__ == "__main__":
    main()
