"""The dashboard names and lists the places of the kabupaten the database was built for, even
when it is started without CAKUPAN_KABUPATEN (Balangan is a default, not a constant)."""

from __future__ import annotations

import pytest

from dashboard.auth import PUBLIC, User
from etl import settings
from etl.cli import build_demo
from tests.support.helpers import open_page


@pytest.fixture(scope="module")
def pandeglang_db(tmp_path_factory):
    geo = settings.REPO_ROOT.parent / "shared" / "geo"
    if not geo.exists():
        pytest.skip("../shared/geo is not available")
    path = tmp_path_factory.mktemp("pandeglang") / "cakupan.duckdb"
    build_demo(db_path=path, kabupaten_code="36.01", scale=0.03, seed=7,
                    files_dir=path.parent / "files", boundaries=geo)
    return path


def test_pages_follow_the_database_kabupaten(pandeglang_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(pandeglang_db))
    monkeypatch.delenv("CAKUPAN_KABUPATEN", raising=False)
    public = open_page("app.py", PUBLIC)
    assert not public.exception
    assert any("Pandeglang" in t.value for t in public.title)
    peta = open_page("pages/peta.py", User("pimpinan", "P", "pimpinan"))
    assert not peta.exception
    options = [o for sb in peta.selectbox for o in sb.options]
    assert "Sumur" in {o.title() for o in options}          # a kecamatan of Pandeglang
    assert "Juai" not in {o.title() for o in options}       # not Balangan's
