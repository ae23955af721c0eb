"""What a kind-specific loader is given and what it returns.

A loader (``etl/loaders/<kind>.py``) is a function ``load(ctx: LoadContext) -> Counts``: the
context holds the write connection, the staging table of the file (all text), the matched columns
and the load id, with helpers to name a field's raw text in SQL and to quarantine rows. The checks
every file gets (etl.row_checks, etl.file_refusal) take the same context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from .columns import Field
from .readers import RawTable


@dataclass
class Counts:
    accepted: int
    duplicates: int = 0
    extra: dict = field(default_factory=dict)
    # A temp table of the person keys the load changed, when it changed nothing else: the marts
    # may then be updated for those people only (etl.marts.update).
    touched_people: str | None = None


@dataclass
class LoadContext:
    con: duckdb.DuckDBPyConnection
    kind: str
    load_id: int
    source_file: str
    raw: RawTable
    columns: dict[str, int]          # field name -> header index
    kabupaten_code: str
    options: dict
    fields: list[Field] = field(default_factory=list)
    # field name -> indices of columns repeating its header, merged (etl.row_checks)
    merged: dict[str, list[int]] = field(default_factory=dict)

    def col(self, name: str) -> str:
        """SQL expression of a field's raw text (NULL when the optional column is absent; the
        first filled of its columns when its header is repeated)."""
        if name not in self.columns:
            return "NULL::VARCHAR"
        first = self.raw.columns[self.columns[name]]
        if name not in self.merged:
            return first
        others = ", ".join(self.raw.columns[j] for j in self.merged[name])
        return f"coalesce(nullif(trim({first}), ''), {others})"

    def original_json_sql(self, alias: str = "") -> str:
        """SQL building the JSON of a staging row's original values, keyed by header text."""
        prefix = f"{alias}." if alias else ""
        seen: dict[str, int] = {}
        parts = []
        for header, column in zip(self.raw.headers, self.raw.columns):
            name = header
            if name in seen:
                seen[name] += 1
                name = f"{header} ({seen[header]})"
            else:
                seen[name] = 1
            parts.append(f"'{_sql_str(name)}', {prefix}{column}")
        return f"json_object({', '.join(parts)})"

    def quarantine(self, select_sql: str) -> None:
        """Insert rejected rows. `select_sql` yields (_row, reason_code, reason_detail,
        kecamatan_code, desa_code, original) in that order."""
        self.con.execute(f"""
            INSERT INTO meta.quarantine
            SELECT {self.load_id}, '{self.kind}', '{_sql_str(self.source_file)}', q.* FROM (
            {select_sql}) AS q""")


def _sql_str(text: str) -> str:
    return str(text).replace("'", "''")
