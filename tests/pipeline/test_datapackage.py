"""Open data as a Frictionless Data Package: valid under the `frictionless` validator, one schema
per file, licence, sources and data date, the page's suppressed numbers, and the same package
behind Transparansi's "Unduh data"."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from dashboard import datapackage, public
from etl import db

THRESHOLD = 20


@pytest.fixture(scope="module")
def data(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        return public.build(con, THRESHOLD)
    finally:
        con.close()


@pytest.fixture
def package_dir(data, tmp_path):
    """The zip the page offers, unpacked as a portal would."""
    with zipfile.ZipFile(io.BytesIO(datapackage.zip_bytes(data))) as z:
        z.extractall(tmp_path)
    return tmp_path


def test_the_package_validates(package_dir):
    assert datapackage.validate(package_dir) == []


def test_the_validator_really_checks_the_data(package_dir):
    path = package_dir / "tren.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",banyak"
    path.write_text("\n".join(lines) + "\n")
    problems = datapackage.validate(package_dir)
    assert problems and "type-error" in problems[0]


def test_descriptor_has_licence_sources_date_and_a_schema_per_file(package_dir, data):
    descriptor = json.loads((package_dir / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"] and descriptor["publisher"]
    assert descriptor["tanggal_data"] == data.data_date
    assert descriptor["bulan_data"] == data.as_of
    assert descriptor["ambang_samar"] == THRESHOLD
    files = {p.name for p in package_dir.iterdir()} - {"datapackage.json"}
    assert files == {r["path"] for r in descriptor["resources"]}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        header = (package_dir / resource["path"]).read_text().splitlines()[0].split(",")
        assert [f["name"] for f in fields] == header
        assert all(f["description"] for f in fields), resource["name"]


def test_licence_follows_the_setting(data, monkeypatch):
    monkeypatch.setenv("CAKUPAN_OPEN_DATA_LICENSE", "CC0-1.0")
    assert datapackage.descriptor(data)["licenses"][0]["name"] == "CC0-1.0"


def test_table_files_carry_the_pages_suppressed_numbers(package_dir, data):
    desa = data.tables["desa"]
    frame = pd.read_csv(package_dir / "desa.csv", dtype={"peserta_aktif": "Int64"})
    hidden = desa.hidden["peserta_aktif"].to_numpy()
    assert hidden.any()
    assert frame.loc[hidden, "peserta_aktif"].isna().all()
    shown = frame.loc[~hidden, "peserta_aktif"]
    assert list(shown) == list(desa.values.loc[~hidden, "peserta_aktif"])
    assert ((shown == 0) | (shown >= THRESHOLD)).all()
    long = pd.read_csv(package_dir / "cakupan_publik.csv", dtype=str, keep_default_na=False)
    assert set(long["status"]) <= set(datapackage.STATUS_VALUES)
    assert (long["status"] == "disamarkan").sum() > 0
