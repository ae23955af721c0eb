"""The database file: how it is opened for reading and how a load writes it (schema, migration).

DuckDB lets one process write a file at a time, and a reader holding the file would block a
writer. So a load never writes the live file: it takes an exclusive lock (one load at a time),
copies the live file, writes the copy inside one transaction, checkpoints it, and swaps it in with
an atomic rename. Consequences the rest of the product relies on:

* a load killed at any point (even ``kill -9``) leaves the live file exactly as it was;
* readers keep the version they opened until they reopen, and never see a half-written load;
* readers open through an in-memory connection that ATTACHes the file read-only, so an old and a
  new version can be open side by side in one process (DuckDB caches ``connect(path)`` by path).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb


# Re-exported: callers run SQL files and frames through the database module's names.
from .queries import SQL_DIR, put_frame, scalar, sql_text  # noqa: F401
from .queries import run_script as run_sql_file



class DatabaseMissing(RuntimeError):
    """The database file does not exist yet (nothing was loaded)."""


def file_identity(db_path: str | os.PathLike) -> tuple[int, int] | None:
    """(inode, mtime) of the live file: changes exactly when a load swapped in a new version."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def connect_readonly(db_path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current version of the database file."""
    path = Path(db_path)
    if not path.exists():
        raise DatabaseMissing(str(path))
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{_quote(path)}' AS cakupan (READ_ONLY)")
    con.execute("USE cakupan")
    return con


def _quote(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


@contextmanager
def write_session(db_path: str | os.PathLike, begin: bool = True
                  ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy of the database, swapped in when the block succeeds.

    Any exception (or a killed process) leaves the live file untouched: the copy is what makes
    a load atomic. The schema is created or migrated on the copy before the caller sees it.
    With begin=False the caller opens the transaction itself (a load reads its file first, in
    auto-commit mode, so that a failed attempt to read it can be retried).
    """
    path = Path(db_path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _write_lock(path):
        # Whoever holds the lock is the only writer, so any copy left now was left by a load that
        # was killed: remove it.
        for stale in path.parent.glob(f".{path.name}.*.tmp*"):
            stale.unlink(missing_ok=True)
        spill = path.with_name(f".{path.name}.spill")
        shutil.rmtree(spill, ignore_errors=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if path.exists():
                shutil.copyfile(path, tmp)
            else:
                tmp.unlink()
            con = duckdb.connect(str(tmp))
            try:
                _limit_memory(con, spill)
                ensure_schema(con)
                if begin:
                    con.execute("BEGIN TRANSACTION")
                yield con
                try:
                    con.execute("COMMIT")
                except duckdb.TransactionException:
                    pass  # begin=False and the caller never opened one
                con.execute("CHECKPOINT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
            finally:
                con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                if leftover.exists():
                    leftover.unlink()
            shutil.rmtree(spill, ignore_errors=True)


# The default load memory limit: half the machine's memory, at most this many bytes.
_MEMORY_CAP = 6 * 1024**3


def _limit_memory(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    """Bound what a load holds in memory (setting load_memory_limit): a 20-million-row export's
    staging tables then spill to `spill`, a folder beside the database (same disk as the copy),
    instead of growing past the machine's memory."""
    from . import settings

    limit = settings.get("load_memory_limit").strip()
    if not limit:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        limit = f"{min(total // 2, _MEMORY_CAP) // 1024**2}MB"
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*[KMGT]i?B", limit, re.IGNORECASE):
        raise ValueError(f"load_memory_limit '{limit}': tulis mis. '6GB' atau '800MB'.")
    con.execute(f"SET memory_limit = '{limit}'")
    con.execute(f"SET temp_directory = '{_quote(spill)}'")


@contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """The live file's exclusive write lock (``<file>.lock``): one writer at a time."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def replacement(db_path: str | os.PathLike) -> Iterator[Path]:
    """The path of a new database built from scratch (by write sessions of its own), swapped in
    for the live file when the block succeeds; removed in any case.

    The swap is an atomic rename under the live file's write lock, so a load of the live file
    running meanwhile finishes first (and is then replaced) rather than being lost half-way.
    This is how the demo replaces a database as a whole.
    """
    path = Path(db_path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(f".{path.name}.new-{os.getpid()}.duckdb")
    _remove_database(new)
    try:
        yield new
        with _write_lock(path):
            os.replace(new, path)
    finally:
        _remove_database(new)


def _remove_database(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".lock")):
        p.unlink(missing_ok=True)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that does not exist yet (idempotent)."""
    _migrate(con)
    run_sql_file(con, "schema.sql")
    run_sql_file(con, "decisions.sql")  # the planning loop's tables (etl.decisions)
    # Marts exist from the first write on (a boundaries-only database is still readable by
    # every page); loads rebuild them.
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND schema_name = 'marts' AND table_name = 'monthly'").fetchall():
        # Imported here: readers (the dashboard's sign-in check too) open the database without
        # paying for the marts' imports. etl.marts does not import this module.
        from .marts import rebuild

        rebuild(con)


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a database made by an earlier version to the current schema."""
    tables = {(r[0], r[1]) for r in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database()").fetchall()}
    # core.participants and private.persons were tables; they are views now.
    if ("core", "participants") in tables:
        con.execute("DROP TABLE core.participants")
    if ("private", "persons") in tables:
        run_sql_file(con, "schema.sql")  # creates private.contacts
        con.execute("""INSERT INTO private.contacts
                       SELECT person_key, nik, kk, full_name, phone, updated_at,
                              CASE WHEN updated_at IS NULL THEN 'bpjs' ELSE 'formulir' END, 0
                       FROM private.persons""")
        con.execute("DROP TABLE private.persons")
    # person_key was the 64-character hex digest; it is its first 128 bits as an integer now
    # (etl/identity.py), the same hash, so people keep their identity across the change.
    from .identity import HEX_TO_KEY_SQL

    for schema, table in sorted(con.execute(
            "SELECT c.schema_name, c.table_name FROM duckdb_columns() AS c "
            "JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name) "
            "WHERE c.database_name = current_database() AND c.column_name = 'person_key' "
            "AND c.data_type = 'VARCHAR' AND c.schema_name IN ('meta', 'core', 'private')"
            ).fetchall()):
        con.execute(f"ALTER TABLE {schema}.{table} ALTER COLUMN person_key TYPE UHUGEINT "
                    f"USING {HEX_TO_KEY_SQL.format(hex='person_key')}")
