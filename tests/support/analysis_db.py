"""A small, hand-checkable database for the analysis pages (targets, sectors, priority, budget,
quality): registrations through the real loader, then members, denominators, targets and RM areas
written into the core tables and the marts rebuilt, as the loaders of those kinds would.

Five desa in two kecamatan, 2025-01 .. 2025-10:

==============  =============  ===========  ========  ====================================
desa            code           registrants  members   notes
==============  =============  ===========  ========  ====================================
Muara Ninian    63.11.01.2001  60           45        RM-01; desa target 70
Hamarung        63.11.01.2002  40           20        RM-01; 10 of its members lapsed
Juai            63.11.01.2003  12           12        RM-01; estimate 10: coverage above 100%
Hauwai          63.11.02.2001  50           40        RM-02
Bangkal         63.11.02.2002  30           10        RM-02
==============  =============  ===========  ========  ====================================
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from etl import db, marts
from etl.loaders import load_file
from tests.support.helpers import nik, row, write_csv

DESA = [  # code, kecamatan name, desa name, registrants, members, lapsed members, estimate
    ("63.11.01.2001", "Juai", "Muara Ninian", 60, 45, 0, 100),
    ("63.11.01.2002", "Juai", "Hamarung", 40, 20, 10, 80),
    ("63.11.01.2003", "Juai", "Juai", 12, 12, 0, 10),
    ("63.11.02.2001", "Halong", "Hauwai", 50, 40, 0, 90),
    ("63.11.02.2002", "Halong", "Bangkal", 30, 10, 0, 60),
]
JOBS = ["Petani karet", "Petani karet", "Pedagang sayur", "Nelayan sungai", "Ojek"]
TARGETS = [  # year, quarter, month, level, code, target
    (2025, None, None, "kabupaten", "63.11", 300),
    (2025, None, None, "kecamatan", "63.11.01", 150),
    (2025, 4, None, "kecamatan", "63.11.01", 140),
    (2025, None, None, "kecamatan", "63.11.02", 120),
    (2025, None, None, "desa", "63.11.01.2001", 70),
    (2025, None, None, "sektor", "pertanian", 200),
    (2025, None, None, "sektor", "perikanan", 40),
    (2025, None, None, "rm", "RM-01", 120),
    (2025, None, None, "rm", "RM-02", 90),
]
RM = {"RM-01": ["63.11.01.2001", "63.11.01.2002", "63.11.01.2003"],
      "RM-02": ["63.11.02.2001", "63.11.02.2002"]}
LATEST = "2025-10"


def build(tmp: Path) -> Path:
    """Build the database under `tmp` and return its path."""
    db_path = tmp / "analysis.duckdb"
    rows, serial = [], 0
    for code, kec, desa, n, *_ in DESA:
        for i in range(n):
            serial += 1
            month = 1 + (i * 10) // n                      # spread over Jan..Oct
            rows.append(row(ts=f"{month}/{1 + i % 27}/2025 09:00:00", name=f"Orang {serial}",
                            nik_=nik(kec=code[6:8], serial=serial, female=bool(i % 2)),
                            sex="Perempuan" if i % 2 else "Laki-laki", kec=kec, desa=desa,
                            job=JOBS[i % len(JOBS)], hp=f"0812{serial:08d}"))
    # Two messy rows for the data-quality page.
    rows.append(row(name="Salah Satu", nik_="6.31109E+15", kec="Juai", desa="Juai"))
    rows.append(row(name="Salah Dua", nik_=nik(kec="01", serial=9001), kec="Juai",
                    desa="Desa Entah"))
    form = write_csv(tmp / "form.csv", rows)
    load_file("registrations", form, db_path=db_path)

    with db.write_session(db_path) as con:
        people = con.execute("""
            SELECT person_key::VARCHAR AS person_key, nik_masked, desa_code, first_submitted_at
            FROM core.participants ORDER BY desa_code, first_submitted_at, person_key""").df()
        members = []
        for code, _, _, _, n_members, n_lapsed, _ in DESA:
            mine = people[people["desa_code"] == code].head(n_members)
            for j, p in enumerate(mine.itertuples(index=False)):
                enrolled = min((p.first_submitted_at + pd.Timedelta(days=20)).date(),
                               dt.date(2025, 10, 28))
                paid = dt.date(2025, 6, 1) if j < n_lapsed else dt.date(2025, 10, 1)
                paid = max(paid, enrolled.replace(day=1))
                members.append((990, j + 1, p.person_key, p.nik_masked, f"KPJ{j:08d}{code[-4:]}",
                                enrolled, ["JKK", "JKM"], "APBD", paid, code))
        con.executemany("INSERT INTO core.members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        members)
        # Recorded as the members loader records its load: the export was taken on 31 October
        # (so October is the data's last, complete month).
        con.execute("INSERT INTO meta.loads VALUES (990, 'members', 'peserta.csv', 'uji-990', "
                    "now()::TIMESTAMP, ?, ?, 0, 0, ?)",
                    [len(members), len(members),
                     '{"export_date": "2025-10-31", "export_date_source": "option"}'])
        for code, *_, estimate in DESA:
            con.execute("INSERT INTO core.denominators VALUES (991, 2025, ?, NULL, ?, 'uji')",
                        [code, estimate])
            for sector, share in (("pertanian", 0.5), ("perdagangan", 0.2), ("perikanan", 0.1),
                                  ("transportasi", 0.2)):
                con.execute("INSERT INTO core.denominators VALUES (991, 2025, ?, ?, ?, 'uji')",
                            [code, sector, round(estimate * share)])
        con.executemany("INSERT INTO core.targets VALUES (992, ?, ?, ?, ?, ?, ?)", TARGETS)
        con.executemany("INSERT INTO core.rm_areas VALUES (993, ?, ?, ?)",
                        [(rm, f"RM {rm[-2:]}", d) for rm, ds in RM.items() for d in ds])
        marts.rebuild(con)
    return db_path
