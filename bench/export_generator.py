"""A fast generator of large, realistic, messy registration exports (for benchmarks and load tests).

Built in DuckDB SQL so that 20,000,000 rows take seconds, not minutes. Rows look like the Lindungi
Prens Google Form export: the real long headers, m/d/yyyy dates, desa names in varied spelling,
free-text occupations. About 1.5% of rows are bad (scientific-notation NIK, 15-digit NIK, impossible
birth date, unknown desa) and about 2% repeat an earlier person in a later submission.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import gazetteer  # noqa: E402
from etl.demo import form_headers  # noqa: E402

HEADERS = form_headers("Balangan")

JOBS = ["Petani karet", "noreh", "Petani sawah", "petani", "Pedagang", "pedagang sayur", "ojek",
        "Buruh bangunan", "buruh harian lepas", "Nelayan sungai", "PRT", "penjahit", "montir",
        "peternak sapi", "Pekebun", "sopir", "wiraswasta", "serabutan"]
NAMES = ["Ahmad", "Muhammad", "Siti", "Noor", "Rahmat", "Hairul", "Jannah", "Aisyah", "Fauzan",
         "Rina", "Yusuf", "Mariani", "Saleh", "Halimah", "Rudi", "Wahyuni"]


def write_export(path: str | Path, rows: int, kabupaten_code: str = "63.11", seed: int = 7,
                 bad_share: float = 0.015, repeat_share: float = 0.02) -> Path:
    """Write a CSV export of `rows` rows to `path` and return the path."""
    path = Path(path)
    places = pd.DataFrame(
        [(d.parent_code[-2:], gazetteer.name_of(d.parent_code), d.name)
         for d in gazetteer.desa_list(kabupaten_code)],
        columns=["kec2", "kec_name", "desa_name"])
    kab6 = kabupaten_code.replace(".", "")
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.register("places_frame", places)
    con.execute("CREATE TABLE places AS SELECT row_number() OVER () - 1 AS p, * FROM places_frame")
    n_places = len(places)
    con.execute("CREATE TABLE jobs AS SELECT u.i - 1 AS j, u.job FROM "
                "(SELECT unnest(?) AS job, generate_subscripts(?, 1) AS i) AS u", [JOBS, JOBS])
    con.execute("CREATE TABLE names AS SELECT u.i - 1 AS k, u.nm FROM "
                "(SELECT unnest(?) AS nm, generate_subscripts(?, 1) AS i) AS u", [NAMES, NAMES])
    bad_per_10k = int(bad_share * 10_000)
    repeat_per_10k = int(repeat_share * 10_000)
    con.execute(f"""
    COPY (
      WITH base AS (
        SELECT i,
               -- a repeat submits again as person i - 1000 (same NIK, later timestamp)
               CASE WHEN hash(i, {seed}, 'r') % 10000 < {repeat_per_10k} AND i > 1000
                    THEN i - 1000 ELSE i END AS person,
               hash(i, {seed}, 'b') % 10000 AS bad_draw
        FROM range({rows}) AS t(i)
      ), people AS (
        SELECT b.*,
               hash(person, {seed}, 'p') % {n_places} AS p,
               1 + hash(person, {seed}, 'd') % 28 AS dd,
               1 + hash(person, {seed}, 'm') % 12 AS mm,
               1962 + hash(person, {seed}, 'y') % 45 AS yyyy,
               hash(person, {seed}, 's') % 2 = 1 AS female,
               hash(person, {seed}, 'j') % {len(JOBS)} AS j,
               hash(person, {seed}, 'n') % {len(NAMES)} AS k
        FROM base AS b
      )
      SELECT
        strftime(TIMESTAMP '2023-01-02 07:00:00'
                 + to_seconds((i * 107000000 // {max(rows, 1)}) + hash(i, 't') % 3600),
                 '%-m/%-d/%Y %H:%M:%S') AS "{HEADERS[0]}",
        n.nm || ' ' || n2.nm AS "{HEADERS[1]}",
        CASE
          WHEN bad_draw < {bad_per_10k} * 0.3 THEN '6.31104E+15'
          WHEN bad_draw < {bad_per_10k} * 0.5 THEN substr(nik, 1, 15)
          ELSE CASE WHEN i % 7 = 0 THEN substr(nik, 1, 6) || ' ' || substr(nik, 7, 6) || ' '
                                        || substr(nik, 13, 4)
                    ELSE nik END
        END AS "{HEADERS[2]}",
        '{kab6}' || pl.kec2 || lpad(((person * 7919) % 1000000)::VARCHAR, 10, '0')
            AS "{HEADERS[3]}",
        CASE WHEN bad_draw >= {bad_per_10k} * 0.5 AND bad_draw < {bad_per_10k} * 0.75
             THEN '2/30/' || yyyy::VARCHAR
             ELSE mm::VARCHAR || '/' || dd::VARCHAR || '/' || yyyy::VARCHAR END
            AS "{HEADERS[4]}",
        CASE WHEN female THEN 'Perempuan' ELSE 'Laki-laki' END AS "{HEADERS[5]}",
        CASE WHEN i % 5 = 0 THEN upper(pl.kec_name) ELSE pl.kec_name END AS "{HEADERS[6]}",
        CASE WHEN bad_draw >= {bad_per_10k} * 0.75 AND bad_draw < {bad_per_10k}
               THEN 'Desa Antah Berantah'
             WHEN i % 11 = 0 THEN 'Ds. ' || pl.desa_name
             WHEN i % 13 = 0 THEN lower(pl.desa_name)
             ELSE pl.desa_name END AS "{HEADERS[7]}",
        jb.job AS "{HEADERS[8]}",
        '08' || lpad((hash(person, 'hp') % 10000000000)::VARCHAR, 10, '0') AS "{HEADERS[9]}"
      FROM (
        SELECT pe.*,
               '{kab6}' || pl0.kec2
               || lpad((dd + CASE WHEN female THEN 40 ELSE 0 END)::VARCHAR, 2, '0')
               || lpad(mm::VARCHAR, 2, '0') || lpad((yyyy % 100)::VARCHAR, 2, '0')
               || lpad((1 + person // {n_places} % 9999)::VARCHAR, 4, '0') AS nik
        FROM people AS pe JOIN places AS pl0 ON pl0.p = pe.p
      ) AS x
      JOIN places AS pl ON pl.p = x.p
      JOIN jobs AS jb ON jb.j = x.j
      JOIN names AS n ON n.k = x.k
      JOIN names AS n2 ON n2.k = (x.k + 5) % {len(NAMES)}
      ORDER BY i
    ) TO '{path}' (HEADER, DELIMITER ',', QUOTE '"')
    """)
    con.close()
    return path


if __name__ == "__main__":
    out = write_export(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    print(out)
