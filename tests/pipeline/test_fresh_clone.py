"""A copy of the repository with nothing beside it (no ../shared), as a newcomer clones it: the
demo builds with maps of kecamatan and desa from the bundled boundaries, and a demo of another
database keeps its input files beside that database, leaving the default demo's files alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import db, gazetteer
from tests.support.helpers import REPO

pytestmark = pytest.mark.slow


def _repository_files() -> list[str]:
    """Tracked and new, not ignored, files: what a commit of this checkout would hold."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=REPO, capture_output=True, check=True)
    return [f for f in out.stdout.decode().split("\0") if f and (REPO / f).is_file()]


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Path:
    clone = tmp_path_factory.mktemp("alone") / "cakupan"
    for rel in _repository_files():
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, clone / rel)
    assert not (clone.parent / "shared").exists()
    return clone


def _demo(clone: Path, config: Path, *db: str, seed: int = 20231) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAKUPAN_")}
    env.update(CAKUPAN_CONFIG_DIR=str(config), CAKUPAN_SECRET_KEY="test-key-not-secret")
    run = subprocess.run([sys.executable, "-m", "etl", *db, "demo", "--scale", "0.02",
                          "--seed", str(seed)],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_clone_alone_gets_the_demo_with_maps_and_demos_keep_their_own_files(alone, tmp_path):
    run = _demo(alone, tmp_path / "config")
    assert "geo/bundled/63.11_desa.geojson" in run.stdout
    default_db = alone / "data" / "cakupan.duckdb"
    con = db.connect_readonly(default_db)
    try:
        levels = dict(con.execute("SELECT level, count(*) FROM core.boundaries GROUP BY 1")
                      .fetchall())
    finally:
        con.close()
    assert levels == {"kabupaten": 1, "kecamatan": len(gazetteer.kecamatan_list("63.11")),
                      "desa": len(gazetteer.desa_list("63.11"))}
    default_files = alone / "data" / "cakupan_demo_files"
    before = _digests(default_files)
    assert any(name.startswith("lindungi_prens_") for name in before)

    # `demo --db PATH` (another seed, so other files): its files beside PATH; the default
    # demo's files untouched.
    other = tmp_path / "elsewhere" / "coba.duckdb"
    run = _demo(alone, tmp_path / "config", "--db", str(other), seed=7)
    assert str(other.with_name("coba_demo_files")) in run.stdout
    assert any(p.name.startswith("lindungi_prens_") for p in other.with_name(
        "coba_demo_files").iterdir())
    assert _digests(default_files) == before
