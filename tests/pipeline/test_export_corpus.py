"""The corpus of real-world exports (tests/fixtures/exports/, made by its make_exports.py): every
file loads into a fresh database exactly as its expected outcome says, row by row, or is refused
with the message it names."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from etl.columns import MissingColumns
from etl.loaders import load_file
from etl.readers import InputError
from tests.support.helpers import FIXTURES
from tests.support.loader_kit import quarantine, query

CORPUS = FIXTURES / "exports"
SCRIPT = CORPUS / "make_exports.py"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))

# What each kind stores per accepted row, by the row's number in the file.
STORED = {
    "registrations": "SELECT row_number, submitted_at::VARCHAR, birth_date::VARCHAR "
                     "FROM core.registrations",
    "verification": "SELECT row_number, decided_on::VARCHAR FROM core.verifications",
    "members": "SELECT row_number, enrolled_on::VARCHAR FROM core.members",
    "claims": "SELECT row_number, paid_on::VARCHAR FROM core.claims",
    # estimates have no row number: by desa code
    "denominators": "SELECT desa_code, estimated_workers::VARCHAR FROM core.denominators",
}


def _corpus_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.name != SCRIPT.name)


def _content(path: Path):
    """Bytes of a file; for a workbook the bytes of each part (zip timestamps aside, and the
    save time openpyxl writes into docProps/core.xml)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}
    return path.read_bytes()


def test_the_committed_corpus_is_what_the_script_makes(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert _corpus_files(tmp_path) == _corpus_files(CORPUS)
    for name in _corpus_files(CORPUS):
        assert _content(tmp_path / name) == _content(CORPUS / name), f"{name} was edited"


def test_every_kind_of_refusal_and_every_kind_of_input_is_covered():
    kinds = {c["kind"] for c in EXPECTED.values()}
    assert {"registrations", "verification", "members", "claims"} <= kinds
    assert sum("refused" in c for c in EXPECTED.values()) >= 6
    suffixes = {Path(n).suffix for n in EXPECTED}
    assert {".csv", ".txt", ".tsv", ".xlsx", ".zip"} <= suffixes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_loads_as_expected(name, tmp_path):
    case = EXPECTED[name]
    db_path = tmp_path / "fresh.duckdb"
    options = case.get("options", {})
    if "refused" in case:
        with pytest.raises((InputError, MissingColumns)) as exc:
            load_file(case["kind"], CORPUS / name, db_path=db_path, **options)
        for words in case["refused"]:
            assert words in str(exc.value), str(exc.value)
        # Nothing changed: no load recorded (the database may have been created empty).
        assert not db_path.exists() or query(db_path, "SELECT count(*) FROM meta.loads") == [(0,)]
        return
    s = load_file(case["kind"], CORPUS / name, db_path=db_path, **options)
    rejected = {str(r[0]): r[1] for r in quarantine(db_path)}
    assert rejected == case["quarantined"]
    stored = {str(r[0]): list(r[1:]) if len(r) > 2 else r[1]
              for r in query(db_path, STORED[case["kind"]])}
    assert stored == case["stored"]
    assert s.rows_read == len(case["stored"]) + len(case["quarantined"])
    for key, value in case.get("details", {}).items():
        assert key in s.extra, s.extra
        assert str(value) in str(s.extra[key]), s.extra[key]
    if case.get("names"):
        names = {r[0] for r in query(db_path, "SELECT full_name FROM private.persons")}
        assert set(case["names"]) <= names
    for row_number, keys in case.get("original_keys", {}).items():
        original = next(r[3] for r in quarantine(db_path) if str(r[0]) == row_number)
        assert set(keys) <= set(original)
