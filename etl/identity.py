"""Person keys and masking: how personal identifiers are kept out of analytic tables.

person_key is a keyed hash of the NIK: the first 128 bits of sha256(k || nik), k a 256-bit value
derived from the installation's secret key, computed in DuckDB and stored as a UHUGEINT. 128 bits
keep accidental collisions out of reach (about 10^-25 for ten million people) at a quarter of
the bytes of the 64-character hex text: every table keyed by person is smaller, and grouping and
joining on it measured twice as fast.

Without the key, a person key cannot be turned back into an NIK by hashing all possible NIKs
(there are only about 10^12 plausible ones, so an unkeyed hash would be reversible). A secret prefix is
enough here: every message is a 16-digit NIK, so the length-extension weakness of prefix MACs
(forging a hash of a longer message) gives an attacker nothing; the nested HMAC form cost twice
the time for no gain.
"""

from __future__ import annotations

import hashlib

import duckdb

from . import settings


def _prefix(key: bytes) -> str:
    return hashlib.sha256(b"person-key:" + key).hexdigest()


def key_fingerprint(key: bytes | None = None) -> str:
    key = settings.secret_key() if key is None else key
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:16]


def person_key(nik: str, key: bytes | None = None) -> int:
    """The person key of one clean 16-digit NIK (the same value the SQL macro computes)."""
    prefix = _prefix(settings.secret_key() if key is None else key)
    return int(hashlib.sha256((prefix + nik).encode()).hexdigest()[:32], 16)


def row_salt(key: bytes | None = None) -> str:
    """The keyed prefix of a form row's fingerprint (etl/loaders/registrations_incremental.py):
    without the key, no list of guessed rows can be hashed to find which rows a file held."""
    key = settings.secret_key() if key is None else key
    return hashlib.sha256(b"row-fingerprint:" + key).hexdigest()[:32]


# The SQL form of a hex digest's first 128 bits; shared with the migration of older databases,
# whose keys were the whole hex digest.
HEX_TO_KEY_SQL = "('0x' || left({hex}, 32))::UHUGEINT"


def install_macros(con: duckdb.DuckDBPyConnection, key: bytes | None = None) -> None:
    """Create the temporary SQL macros person_key(nik) and mask_nik(nik) on a connection."""
    prefix = _prefix(settings.secret_key() if key is None else key)
    key_of_hex = HEX_TO_KEY_SQL.format(hex=f"sha256('{prefix}' || nik)")
    con.execute(f"CREATE OR REPLACE TEMP MACRO person_key(nik) AS {key_of_hex}")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO mask_nik(nik) AS "
        "CASE WHEN length(nik) = 16 THEN substr(nik, 1, 4) || '********' || substr(nik, 13, 4) "
        "ELSE '****' END")


def mask_nik(nik: object) -> str:
    """6311040707900001 -> 6311********0001 (what authorised pages show)."""
    text = "" if nik is None else str(nik)
    return f"{text[:4]}********{text[12:16]}" if len(text) == 16 else "****"


def check_key(con: duckdb.DuckDBPyConnection, kabupaten_code: str, is_demo: bool = False) -> None:
    """Record the key fingerprint in a new database; refuse a database made with another key."""
    fingerprint = key_fingerprint()
    rows = con.execute("SELECT key_fingerprint, kabupaten_code FROM meta.database").fetchall()
    row = rows[0] if rows else None
    if row is None:
        con.execute("INSERT INTO meta.database VALUES (?, ?, now()::TIMESTAMP, ?)",
                    [kabupaten_code, fingerprint, is_demo])
        return
    if row[0] != fingerprint:
        raise KeyMismatch(
            "Kunci hash NIK berbeda dengan kunci yang dipakai membuat basis data ini "
            f"(sidik {row[0]} vs {fingerprint}). Pakai CAKUPAN_SECRET_KEY atau secret.key yang "
            "sama, agar orang yang sama tetap dikenali.")
    if row[1] != kabupaten_code:
        raise KeyMismatch(
            f"Basis data ini untuk kabupaten {row[1]}, bukan {kabupaten_code}. Pakai --db lain "
            "atau atur CAKUPAN_KABUPATEN.")


class KeyMismatch(RuntimeError):
    """The database was made with another hash key or for another kabupaten."""
