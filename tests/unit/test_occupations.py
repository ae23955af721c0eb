"""Occupation text -> sector (etl.sectors): the Dukcapil list, generic heads decided by what
follows them, a labelled list of real-style texts, the office's keyword file, and the unmapped
texts listed for the data officer."""

from __future__ import annotations

import csv

import pytest

from etl import db, loaders, sectors
from tests.support.helpers import FIXTURES, nik, row, run_cli, write_csv

LABELLED = FIXTURES / "occupations" / "labelled.csv"


def labelled() -> list[dict]:
    with open(LABELLED, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_labelled_list_is_large_and_covers_the_dukcapil_list():
    rows = labelled()
    assert len(rows) >= 300
    assert len({r["text"] for r in rows}) == len(rows)
    dukcapil = [r for r in rows if r["source"] == "dukcapil"]
    assert len(dukcapil) == 89     # the occupation list printed on the KTP
    assert {r["sector"] for r in rows} == set(sectors.SECTOR_LABELS)


def test_every_labelled_text_gets_its_sector():
    wrong = [(r["text"], r["sector"], sectors.match(r["text"])) for r in labelled()
             if sectors.sector_of(r["text"]) != r["sector"]]
    assert wrong == []


def test_every_dukcapil_occupation_is_mapped_by_a_keyword():
    # Not "unmapped": each official entry is recognised, 'lainnya' ones included.
    missing = [r["text"] for r in labelled() if r["source"] == "dukcapil"
               and not sectors.match(r["text"]).mapped]
    assert missing == []


@pytest.mark.parametrize("text,sector", [
    ("tukang ojek", "transportasi"), ("Tukang Ojek Online", "transportasi"),
    ("tukang batu", "konstruksi"), ("tukang kayu", "konstruksi"),
    ("tukang jahit", "kerajinan"), ("tukang cukur", "jasa"),
    ("tukang", "konstruksi"),                     # nothing follows: the head's own sector
    ("buruh tani", "pertanian"), ("buruh nelayan", "perikanan"), ("buruh bangunan", "konstruksi"),
    ("pekerja rumah tangga", "pekerja_rumah_tangga"), ("pekerja kebun karet", "pertanian"),
    ("usaha jahit", "kerajinan"), ("usaha warung", "perdagangan"),
    ("jasa angkutan", "transportasi"), ("jasa cukur", "jasa"),
    # A specific head decides even when a farming word follows it.
    ("pedagang sayur", "perdagangan"), ("penjual ikan", "perdagangan"),
    ("petani karet", "pertanian"), ("Mengurus Rumah Tangga", "lainnya"),
])
def test_generic_heads_are_decided_by_what_follows(text, sector):
    assert sectors.sector_of(text) == sector


def test_an_office_adds_and_moves_keywords_without_code(isolated_config):
    assert not sectors.match("manggaris").mapped
    assert sectors.sector_of("pemulung") == "lainnya"
    (isolated_config / "sector_keywords.toml").write_text(
        '[sectors.jasa]\nkeywords = ["manggaris", "pemulung"]\n', encoding="utf-8")
    assert sectors.match("Manggaris").sector == "jasa"
    assert sectors.sector_of("pemulung") == "jasa"              # moved from lainnya
    assert sectors.sector_of("tukang ojek") == "transportasi"   # the defaults still apply
    (isolated_config / "sector_keywords.toml").write_text(
        '[sectors.tambang_emas]\nkeywords = ["emas"]\n', encoding="utf-8")
    with pytest.raises(sectors.KeywordFileError, match="tambang_emas"):
        sectors.keywords()


def test_unmapped_texts_are_listed_and_office_keywords_apply_at_the_next_load(
        tmp_path, db_path, isolated_config):
    from dashboard import quality

    form = write_csv(tmp_path / "form.csv", [
        row(ts="1/5/2026 08:00:00", nik_=nik(serial=1), job="Manggaris"),
        row(ts="1/6/2026 08:00:00", nik_=nik(serial=2), job="Manggaris"),
        row(ts="1/7/2026 08:00:00", nik_=nik(serial=3), job="Tukang ojek"),
        row(ts="1/8/2026 08:00:00", nik_=nik(serial=4), job="zzz qqq")])
    assert loaders.load_file("registrations", form, db_path=db_path).accepted == 4

    def state():
        con = db.connect_readonly(db_path)
        try:
            listed = quality.unmapped_occupations(con)
            sectors_now = dict(con.execute("SELECT sector, count(*) FROM marts.people "
                                           "GROUP BY 1").fetchall())
        finally:
            con.close()
        return dict(zip(listed["Pekerjaan tertulis"], listed["Pendaftar"])), sectors_now

    listed, by_sector = state()
    assert listed == {"Manggaris": 2, "zzz qqq": 1}
    assert by_sector == {"lainnya": 3, "transportasi": 1}   # tukang ojek: transport
    (isolated_config / "sector_keywords.toml").write_text(
        '[sectors.jasa]\nkeywords = ["manggaris"]\n', encoding="utf-8")
    more = write_csv(tmp_path / "form2.csv", [row(ts="2/5/2026 08:00:00", nik_=nik(serial=5),
                                                  job="Petani karet")])
    assert loaders.load_file("registrations", more, db_path=db_path).accepted == 1
    listed, by_sector = state()
    assert listed == {"zzz qqq": 1}
    assert by_sector == {"jasa": 2, "lainnya": 1, "transportasi": 1, "pertanian": 1}


def test_a_broken_office_file_refuses_the_load(tmp_path, db_path, isolated_config):
    (isolated_config / "sector_keywords.toml").write_text("[sectors.jasa\n", encoding="utf-8")
    form = write_csv(tmp_path / "form.csv", [row()])
    result = run_cli("--db", str(db_path), "load", "registrations", str(form),
                     env={"CAKUPAN_CONFIG_DIR": str(isolated_config)})
    assert result.returncode == 2
    assert "sector_keywords.toml" in result.stderr
