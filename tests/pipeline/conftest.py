"""Fixtures of the pipeline tests (loads, CLI, database builds, exports)."""

from __future__ import annotations

import pytest

from tests.support.metrics_db import load_builder


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    """The fixture database, built once for the module with the test key and a private config."""
    base = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CONFIG_DIR", str(base / "config"))
        mp.setenv("CAKUPAN_SECRET_KEY", "test-key-not-secret")
        path = base / "cakupan.duckdb"
        load_builder().build(path)
    return path
