"""Fixtures of every kind of test (unit, pipeline, app, e2e): every test runs with its own config
dir (secret key, users) and database; the demo and the analysis databases are built once per
session. A kind's own fixtures are in its conftest.py; helpers that are not fixtures in
tests/support."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch):
    """A private config dir and a fixed hash key, so no test reads or writes ~/.config/cakupan."""
    cfg = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CAKUPAN_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("CAKUPAN_SECRET_KEY", "test-key-not-secret")
    return cfg


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cakupan.duckdb"


def shared_geo() -> Path | None:
    path = SHARED / "geo"
    return path if path.exists() else None


@pytest.fixture
def geo_dir() -> Path:
    path = shared_geo()
    if path is None:
        pytest.skip("../shared/geo is not available")
    return path


@pytest.fixture
def bundled_geo() -> Path:
    """Balangan's boundaries as the repository ships them (geo/bundled: 63.11_desa.geojson,
    63.11_kecamatan.geojson): a test that needs only Balangan reads these, so it runs on a clone
    with nothing beside it; geo_dir (../shared/geo) is for other kabupaten, the province files
    and the bundle's source."""
    from geo import bundle

    return bundle.BUNDLED_DIR


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small demo database (etl.demo at scale 0.05, fixed seed), built once per test session.

    Shared by the dashboard tests: treat it as read-only. Boundaries are found as a user's demo
    finds them (the bundled Balangan ones), so the maps are tested with or without ../shared.
    """
    from etl.cli import build_demo

    root = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CONFIG_DIR", str(root / "config"))
        mp.setenv("CAKUPAN_SECRET_KEY", "test-key-not-secret")
        mp.delenv("CAKUPAN_BOUNDARIES_PATH", raising=False)
        build_demo(db_path=root / "demo.duckdb", scale=0.05, seed=20231,
                   files_dir=root / "files")
    return root / "demo.duckdb"


@pytest.fixture
def captured_downloads(monkeypatch):
    """The bytes of every file a page hands to Streamlit (download buttons), by file id."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data if isinstance(path_or_data, bytes) else b""
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files


def _built_with_test_key(build, tmp: Path) -> Path:
    """build(tmp) with its own config dir and the test key (a session fixture is built before
    the per-test config fixture is active)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CONFIG_DIR", str(tmp / "config"))
        mp.setenv("CAKUPAN_SECRET_KEY", "test-key-not-secret")
        return build(tmp)


@pytest.fixture(scope="session")
def analysis_db(tmp_path_factory) -> Path:
    """The small hand-checkable database of tests/support/analysis_db.py (analysis pages and
    rules), built once per test session (with its own config dir and key, since the per-test
    config fixture is not active yet when a session fixture is built). Read-only."""
    from tests.support.analysis_db import build

    return _built_with_test_key(build, tmp_path_factory.mktemp("analysis"))


@pytest.fixture
def analysis_con(analysis_db):
    from etl import db

    con = db.connect_readonly(analysis_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def decisions_template(tmp_path_factory) -> Path:
    """The planning loop's database (tests/support/decisions_kit.py: the analysis database, data
    up to October 2025, ready for next month's export), built once per session. A template:
    tests work on a copy (decisions_db), since they record decisions and load files."""
    from tests.support.decisions_kit import build

    return _built_with_test_key(build, tmp_path_factory.mktemp("decisions"))


@pytest.fixture
def decisions_db(decisions_template, tmp_path) -> Path:
    """A private copy of the planning loop's database for one test."""
    import shutil

    path = tmp_path / "cakupan.duckdb"
    shutil.copyfile(decisions_template, path)
    return path
