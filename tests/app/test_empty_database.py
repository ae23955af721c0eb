"""A new installation, before its first registrations: every page explains, none crashes.

The first file an office loads may well be its boundaries (or a targets file): the dashboard must
already work, saying what to load next.
"""

from __future__ import annotations

import pytest

from dashboard import registry
from dashboard.auth import PUBLIC, User
from tests.support.helpers import open_page, run_cli

PIMPINAN = User("pimpinan", "Pimpinan", "pimpinan")
ADMIN = User("admin", "Admin", "admin")


@pytest.fixture
def boundaries_only(tmp_path, bundled_geo, monkeypatch):
    db_path = tmp_path / "baru.duckdb"
    result = run_cli("--db", str(db_path), "load", "boundaries",
                     str(bundled_geo / "63.11_desa.geojson"), "--level", "desa")
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("CAKUPAN_DB", str(db_path))
    return db_path


_run_page = open_page


def test_public_page_before_any_registration(boundaries_only):
    at = _run_page("app.py", PUBLIC)
    assert not at.exception
    assert any("Belum ada data" in i.value for i in at.info)


@pytest.mark.parametrize("spec", [p for p in registry.PAGES if p.exists],
                         ids=lambda p: p.key)
def test_every_page_before_any_registration(boundaries_only, spec):
    user = ADMIN if "admin" in spec.roles and "pimpinan" not in spec.roles else PIMPINAN
    at = _run_page(spec.path, user)
    assert not at.exception, f"{spec.key}: {at.exception}"
