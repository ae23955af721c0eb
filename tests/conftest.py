"""Shared test fixtures: every test runs with its own config dir (secret key, users) and database."""

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
