"""Every setting of Cakupan, declared once with its default and help text.

A setting is read, in order of precedence, from the environment (``CAKUPAN_<NAME>``), from the
local configuration file (``<config dir>/cakupan.toml``, never in the repository), and from the
default below. Balangan is the default configuration, not a constant: another kabupaten sets
``CAKUPAN_KABUPATEN`` (or ``kabupaten = "36.01"`` in the file) and everything follows the gazetteer.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str(REPO_ROOT / "data" / "cakupan.duckdb"), "Path of the DuckDB database file."),
    Setting("kabupaten", "63.11", "Kemendagri code of the kabupaten/kota this installation serves."),
    Setting("min_age", 15, "Youngest age enrolled; younger registrants are flagged for the verifier."),
    Setting("max_age", 65, "Oldest age enrolled; older registrants are flagged for the verifier."),
    Setting("birth_date_format", "mdy",
            "Order of day and month in slash dates of the registration form: 'mdy' (the Google "
            "Form's mm/dd/yyyy) or 'dmy'."),
    Setting("file_refusal_share", 0.5,
            "A load is refused as a whole (nothing changed) when at least this share of the "
            "file's rows fails for one reason that lies in the file rather than its rows (a "
            "format not understood, NIKs turned into Excel numbers, another kabupaten's places); "
            "below it the bad rows are quarantined and the rest loads."),
    Setting("fuzzy_min_score", 85,
            "Lowest rapidfuzz score (0-100) at which a misspelt desa name is matched to the "
            "gazetteer within its kecamatan."),
    Setting("premium_per_month", 16800,
            "Premium in rupiah per worker per month used by the budget simulator (JKK + JKM, "
            "lowest BPU bracket)."),
    Setting("small_cell_threshold", 5,
            "Public pages suppress any published count below this number."),
    Setting("open_data_license", "CC-BY-4.0",
            "Licence of the published open data (an SPDX id, e.g. CC-BY-4.0, CC0-1.0, ODbL-1.0), "
            "written into the Data Package."),
    Setting("boundaries_path", "",
            "Folder or files (comma-separated) of boundaries the demo loads; empty: the bundled "
            "ones (geo/bundled: Balangan), else ../shared/geo when present."),
    Setting("simplify_tolerance", 0.001,
            "Boundary simplification tolerance in degrees (about 100 m), topology kept."),
    Setting("base_tiles", False,
            "Draw an OpenStreetMap base layer under the maps (needs internet); the choropleth "
            "reads well without it."),
    Setting("target_at_risk_ratio", 0.9,
            "Target status: the projected end value at the recent pace divided by the target at or "
            "above 1 is on track, at or above this ratio at risk, below it off track."),
    Setting("priority_coverage_threshold", 0.8,
            "Desa priority: coverage against the desa's share of the target below this is 'low'."),
    Setting("priority_dropoff_threshold", 0.2,
            "Desa priority: share of registrants stalled before enrolment, or of members lapsed, "
            "above this is 'high'."),
    Setting("decision_min_comparison", 5,
            "A decision's comparison places are the desa of the same priority category without a "
            "decision; with fewer than this many, the desa of the same kecamatan without one."),
    Setting("load_memory_limit", "",
            "Most memory DuckDB may use during a load (e.g. '6GB'), beyond which it spills to a "
            "folder beside the database; empty: half the machine's memory, at most 6 GB (so a "
            "20-million-row export loads within 8 GB)."),
    Setting("session_minutes", 60, "Minutes of inactivity after which a login session expires."),
    Setting("upload_max_mb", 1024,
            "Largest uploaded file the admin page reads, in MB once decompressed (an XLSX or a "
            "zip is measured inside; a zip bomb is refused before parsing)."),
    Setting("upload_max_rows", 3_000_000, "Most rows an uploaded file may have."),
    Setting("upload_max_columns", 300, "Most columns an uploaded file may have."),
    Setting("max_failed_logins", 5,
            "Failed sign-ins (per client address, and per account) before each further attempt "
            "must wait; the wait doubles with every failure (never a lockout)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def config_dir() -> Path:
    """Folder for local, never-committed configuration: secret key, users, cakupan.toml."""
    return Path(os.environ.get("CAKUPAN_CONFIG_DIR", Path.home() / ".config" / "cakupan"))


@lru_cache(maxsize=8)
def _file_values(path: str) -> dict:
    p = Path(path)
    if not p.exists():
        return {}
    with p.open("rb") as fh:
        return tomllib.load(fh)


def get(name: str):
    """The value of one setting, cast to the type of its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"CAKUPAN_{name.upper()}")
    if raw is None:
        raw = _file_values(str(config_dir() / "cakupan.toml")).get(name)
    if raw is None:
        return setting.default
    kind = type(setting.default)
    if kind is bool and isinstance(raw, str):
        return raw.strip().lower() in {"1", "true", "yes", "ya"}
    return kind(raw)


def secret_key() -> bytes:
    """The key of the keyed NIK hash.

    From ``CAKUPAN_SECRET_KEY`` or ``<config dir>/secret.key``; generated there on first use (mode
    600). Losing it means existing person keys can no longer be matched to new files, so the
    database records the key's fingerprint and a load with another key is refused.
    """
    env = os.environ.get("CAKUPAN_SECRET_KEY")
    if env:
        return env.encode()
    path = config_dir() / "secret.key"
    if not path.exists():
        from . import private_files

        private_files.private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def describe() -> list[dict]:
    """Each setting with its current value, for the README and the admin page."""
    return [{"name": s.name, "default": s.default, "value": get(s.name), "help": s.help}
            for s in SETTINGS]
