"""What every file gets before its loader judges its rows, whatever its kind:

- Repeated columns (a header that appears twice, e.g. KECAMATAN filled alternately in two
  columns) are merged when they never disagree (one empty where the other has a value), and the
  report says so; otherwise the file is refused naming both columns and rows where they differ.
- A row with a control character (NUL and the like) in any cell, known column or not, is
  quarantined as control_character; a value longer than is plausible for its column as
  value_too_long; a totals or notes row ("TOTAL", "Jumlah", "Catatan: ...") as not_data_row.
  The rest of the file loads; the loader never sees those rows.

The checks are SQL over the staging relation. The byte scan of etl.readers (control characters,
longest line) lets a CSV without such characters or long lines skip the per-cell checks, which
would cost seconds on millions of rows.
"""

from __future__ import annotations

from .load_context import LoadContext
from .readers import InputError

# A column the loader does not know (e-mail, address, "Score") may still be long text.
UNKNOWN_MAX_LENGTH = 2000
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"
# The first filled cell of a totals or notes row starts with one of these words.
NOT_DATA = (r"^(total|grand total|sub ?total|jumlah|jml|rekap|catatan|keterangan|ket|sumber|"
            r"dicetak|diolah|note|notes|source)\b")


def run(ctx: LoadContext) -> dict:
    """Merge repeated columns, quarantine the rows no loader should judge; return what the load
    report should say."""
    details = {}
    merged = _merge_repeated_columns(ctx)
    if merged:
        details["merged_columns"] = merged
    checks = [sql for sql in (_control_sql(ctx), _length_sql(ctx), _not_data_sql(ctx)) if sql]
    if not checks:
        return details
    con = ctx.con
    # The first check that fails is the row's reason (in the order above).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE row_rejects AS
        SELECT _row, arg_min(reason_code, priority) AS reason_code,
               arg_min(reason_detail, priority) AS reason_detail
        FROM ({' UNION ALL '.join(checks)}) GROUP BY _row""")
    if con.execute("SELECT count(*) FROM row_rejects").fetchall()[0][0]:
        ctx.quarantine(f"""
            SELECT r._row, r.reason_code, r.reason_detail, NULL, NULL,
                   {ctx.original_json_sql('s')}
            FROM row_rejects AS r JOIN {ctx.raw.table} AS s USING (_row)""")
        ctx.raw.exclude(con, "row_rejects")
    return details


def _label(ctx: LoadContext, i: int) -> str:
    return ctx.raw.headers[i].replace("'", "''")


def _merge_repeated_columns(ctx: LoadContext) -> list[str]:
    said = []
    for name, repeats in ctx.merged.items():
        first = ctx.columns[name]
        for j in repeats:
            a, b = ctx.raw.columns[first], ctx.raw.columns[j]
            n, rows = ctx.con.execute(f"""
                SELECT count(*), list(_row ORDER BY _row)[1:3] FROM {ctx.raw.table}
                WHERE nullif(trim({a}), '') IS NOT NULL AND nullif(trim({b}), '') IS NOT NULL
                  AND lower(trim({a})) <> lower(trim({b}))""").fetchall()[0]
            if n:
                raise InputError(
                    f"Berkas {ctx.source_file}: judul kolom '{ctx.raw.headers[first]}' muncul dua "
                    f"kali (kolom ke-{first + 1} dan ke-{j + 1}) dan isinya berbeda di {n} baris "
                    f"(mis. baris {', '.join(map(str, rows))}). Hapus atau ganti nama salah satu "
                    "kolom lalu muat ulang. Tidak ada data yang dimuat.")
            said.append(f"'{ctx.raw.headers[first]}' kolom ke-{first + 1} dan ke-{j + 1} "
                        "digabung (tidak pernah berbeda: satu kosong di mana yang lain terisi)")
    return said


def _control_sql(ctx: LoadContext) -> str | None:
    if ctx.raw.control_chars is False:
        return None
    cells = ", ".join(
        f"CASE WHEN regexp_matches({c}, '{CONTROL}') THEN '{_label(ctx, i)}: karakter kontrol '"
        f" || printf('U+%04X', unicode(regexp_extract({c}, '{CONTROL}'))) || ' di posisi '"
        f" || instr({c}, regexp_extract({c}, '{CONTROL}')) END"
        for i, c in enumerate(ctx.raw.columns))
    return f"""SELECT _row, 1 AS priority, 'control_character' AS reason_code,
                      coalesce({cells}) AS reason_detail
               FROM {ctx.raw.table} WHERE coalesce({cells}) IS NOT NULL"""


def _limits(ctx: LoadContext) -> list[int]:
    limit = [UNKNOWN_MAX_LENGTH] * len(ctx.raw.columns)
    by_name = {f.name: f for f in ctx.fields}
    for name, i in ctx.columns.items():
        for j in [i, *ctx.merged.get(name, [])]:
            limit[j] = by_name[name].max_length
    return limit


def _length_sql(ctx: LoadContext) -> str | None:
    limits = _limits(ctx)
    # No line of the file is longer than the smallest limit: no cell can be either.
    if ctx.raw.longest_line is not None and ctx.raw.longest_line <= min(limits):
        return None
    # Bytes (strlen) are at least the characters and twice as fast to count: screen with them.
    longest = ctx.con.execute("SELECT " + ", ".join(
        f"coalesce(max(strlen({c})), 0)" for c in ctx.raw.columns)
        + f" FROM {ctx.raw.table}").fetchall()[0]
    over = [i for i, n in enumerate(longest) if n > limits[i]]
    if not over:
        return None
    cells = ", ".join(
        f"CASE WHEN length({ctx.raw.columns[i]}) > {limits[i]} THEN '{_label(ctx, i)}: ' || "
        f"length({ctx.raw.columns[i]}) || ' karakter (paling banyak {limits[i]})' END"
        for i in over)
    return f"""SELECT _row, 2 AS priority, 'value_too_long' AS reason_code,
                      coalesce({cells}) AS reason_detail
               FROM {ctx.raw.table} WHERE coalesce({cells}) IS NOT NULL"""


def _not_data_sql(ctx: LoadContext) -> str | None:
    required = [ctx.raw.columns[ctx.columns[f.name]] for f in ctx.fields
                if f.required and f.name in ctx.columns]
    if len(required) < 2:
        return None
    empty = " + ".join(f"(nullif(trim({c}), '') IS NULL)::INTEGER" for c in required)
    first_cell = "coalesce(" + ", ".join(f"nullif(trim({c}), '')" for c in ctx.raw.columns) + ")"
    # The cheap test first (a NULL test reads only the validity mask; the reader makes empty
    # cells NULL): nearly every row has its first two required cells filled.
    return f"""SELECT _row, 3 AS priority, 'not_data_row' AS reason_code,
                      regexp_extract(lower({first_cell}), '{NOT_DATA}', 1) AS reason_detail
               FROM {ctx.raw.table}
               WHERE ({required[0]} IS NULL OR {required[1]} IS NULL)
                 AND ({empty}) >= {len(required) - 1}
                 AND regexp_matches(lower({first_cell}), '{NOT_DATA}')"""
