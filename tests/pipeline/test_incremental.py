"""Weekly cumulative exports loaded incrementally give the database a full judging and a full
rebuild of the marts give (docs/rules.md §3: the same person at the same timestamp is the same
submission; README "Load guarantees").

Randomised weeks, several seeds: each week's export repeats last week's rows (some removed, some
twice), adds new people and new submissions, corrects rows (same timestamp or a new one), and
carries bad rows. One database loads them as an office does (rows seen before are not judged,
marts updated for the people touched); the other judges every row and rebuilds every mart at
every load. Every core, mart and personal table, the quarantine and the flags must be equal row
for row.
"""

from __future__ import annotations

import json
import random

import pytest

from bench.export_generator import JOBS
from etl import db, gazetteer, marts
from etl.identity import person_key
from etl.loaders import load_file
from etl.loaders import registrations_incremental
from tests.support.helpers import nik, row, write_csv

COMPARED = ["core.registrations", "private.contacts", "meta.quarantine", "meta.flags",
            "marts.people", "marts.monthly", "marts.monthly_events", "marts.durations",
            "marts.denominators", "marts.data_span", "marts.occupations"]


def _tables(path) -> dict[str, list]:
    con = db.connect_readonly(path)
    try:
        out = {}
        for table in COMPARED:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            order = ", ".join(f"{c}::VARCHAR" for c in cols)
            out[table] = con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        return out
    finally:
        con.close()


class Weeks:
    """A seeded office: people, their submissions, and the weekly cumulative export."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.places = [(gazetteer.name_of(d.parent_code), d.name, d.parent_code[-2:])
                       for d in gazetteer.desa_list("63.11")]
        self.rows: list[list[str]] = []
        self.people: list[str] = []
        self.serial = 0

    def _person(self) -> str:
        self.serial += 1
        r = self.rng
        return nik(kec=r.choice(self.places)[2], dd=r.randint(1, 28), mm=r.randint(1, 12),
                   yy=r.randint(60, 99), female=r.random() < 0.5, serial=self.serial)

    def _submission(self, who: str, week: int) -> list[str]:
        r = self.rng
        kec, desa, _ = r.choice(self.places)
        born = f"{int(who[8:10])}/{int(who[6:8]) % 40}/19{who[10:12]}"
        ts = f"{week + 1}/{r.randint(1, 28)}/2024 {r.randint(7, 20)}:{r.randint(10, 59)}:00"
        return row(ts=ts, nik_=who, birth=born, kec=kec, desa=desa, job=r.choice(JOBS),
                   sex=r.choice(["Laki-laki", "Perempuan", ""]),
                   name=f"Orang {r.randint(1, 999)}", hp=f"08{r.randint(10**9, 10**10 - 1)}")

    def export(self, week: int, new: int) -> list[list[str]]:
        r = self.rng
        kept = [x for x in self.rows if r.random() > 0.03]            # some leave the export
        for _ in range(new):                                           # new people
            who = self._person()
            self.people.append(who)
            kept.append(self._submission(who, week))
        for _ in range(max(1, new // 4)):                              # someone submits again
            kept.append(self._submission(r.choice(self.people), week))
        for i in r.sample(range(len(kept)), min(len(kept), 4)):       # corrected rows
            fixed = list(kept[i])
            kec, desa, _ = r.choice(self.places)
            fixed[6], fixed[7], fixed[8] = kec, desa, r.choice(JOBS)
            if r.random() < 0.5:                                       # with a new timestamp
                fixed[0] = fixed[0].replace(":00", ":30")
            kept[i] = fixed
        for _ in range(3):                                             # bad rows
            bad = self._submission(self._person(), week)
            bad[r.choice([2, 4, 7])] = r.choice(["6.31104E+15", "2/30/1990", "Desa Antah"])
            kept.append(bad)
        kept += [list(x) for x in r.sample(kept, min(len(kept), 3))]   # repeated rows
        self.rows = kept
        return kept

    def members_and_decisions(self, con) -> None:
        """A verification and a membership export for some people (loaded through their own
        loaders in practice; those loads rebuild the marts)."""
        r = self.rng
        for i, who in enumerate(r.sample(self.people, len(self.people) // 3)):
            key = person_key(who)
            con.execute("INSERT INTO core.verifications VALUES (90, ?, ?, '6311********0000', "
                        "?, NULL, DATE '2024-03-01' + ?::INTEGER)",
                        [i, key, r.choice(["verified", "verified", "rejected"]), r.randint(0, 90)])
            if r.random() < 0.6:
                con.execute("INSERT INTO core.members VALUES (90, ?, ?, '6311********0000', 'K',"
                            " DATE '2024-04-01' + ?::INTEGER, ['JKK', 'JKM'], 'APBD', "
                            "DATE '2024-06-01', NULL)", [i, key, r.randint(0, 60)])
        marts.rebuild(con)


def _load_weeks(tmp_path, path, seed: int, weeks: int = 4) -> list[dict]:
    office = Weeks(seed)
    reports = []
    folder = tmp_path / path.stem
    folder.mkdir()
    for week in range(weeks):
        src = write_csv(folder / f"week{week}.csv",
                        office.export(week, 120 if week == 0 else 12))
        reports.append(json.loads(load_file("registrations", src, db_path=path).to_json()))
        if week == 1:
            with db.write_session(path) as con:
                office.members_and_decisions(con)
    return reports


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_weekly_loads_equal_judging_every_row_and_rebuilding_the_marts(tmp_path, seed,
                                                                      monkeypatch):
    weekly = tmp_path / "weekly.duckdb"
    reports = _load_weeks(tmp_path, weekly, seed)
    # The weekly loads after the first took the incremental paths (else this test proves nothing).
    for report in reports[1:]:
        assert report["extra"]["rows_path"]["path"] == "incremental"
        assert report["extra"]["rows_path"]["rows_seen_before"] > 0
        assert report["extra"]["marts"]["marts"] == "incremental"
        assert report["accepted"] + report["quarantined"] == report["rows_read"]

    # The same files, judged in full and marts rebuilt at every load.
    full = tmp_path / "full.duckdb"
    calls = iter(range(10**6))
    real_context = registrations_incremental.context
    monkeypatch.setattr(registrations_incremental, "context",
                        lambda ctx, order: {**real_context(ctx, order), "call": next(calls)})
    monkeypatch.setattr(marts, "_why_not_incremental", lambda con, touched: "test")
    full_reports = _load_weeks(tmp_path, full, seed)
    assert all(r["extra"]["rows_path"]["path"] == "full" for r in full_reports)
    for a, b in zip(reports, full_reports):
        assert (a["accepted"], a["quarantined"], a["duplicates"], a["reasons"]) == \
            (b["accepted"], b["quarantined"], b["duplicates"], b["reasons"])
        assert a["extra"]["same_submission_seen_before"] == \
            b["extra"]["same_submission_seen_before"]

    got, want = _tables(weekly), _tables(full)
    for table in COMPARED:
        assert got[table] == want[table], table
    # And a rebuild of the weekly database's marts from its core changes nothing.
    with db.write_session(weekly) as con:
        marts.rebuild(con)
    assert _tables(weekly) == got


def test_a_changed_setting_judges_every_row_again(tmp_path, db_path, monkeypatch):
    rows = [row(), row(ts="1/16/2024 10:00:00", nik_=nik(serial=2)), row(nik_="123")]
    load_file("registrations", write_csv(tmp_path / "w1.csv", rows), db_path=db_path)
    monkeypatch.setenv("CAKUPAN_FUZZY_MIN_SCORE", "90")
    rows.append(row(ts="1/17/2024 10:00:00", nik_=nik(serial=3)))
    report = load_file("registrations", write_csv(tmp_path / "w2.csv", rows), db_path=db_path)
    assert report.extra["rows_path"]["path"] == "full"
    assert "settings" in report.extra["rows_path"]["reason"]
    assert report.extra["rows_path"]["rows_judged"] == 4
    assert (report.accepted, report.quarantined) == (3, 1)
