"""Data quality for the data officer: loads, quarantine (masked), flags, unmatched names, desa above
100% coverage.

Owns what the Kualitas Data page shows, the masking of quarantined rows, and which of it is
person-level. meta.quarantine keeps the original row, personal data included, so a desa can fix
it and load it again (the full rows come only from the CLI: ``python -m etl export quarantine
--load N``, recorded in the access log). Two levels:

* ``report()``: counts only (loads, quarantine by reason, by desa and by load, flags by kind,
  unmatched names, desa above 100%): for every role that may open the page (pimpinan, admin).
* Person-level rows, masked, for the data officer (admin) alone; every view and download of them
  is written to the access log (dashboard.access_log): ``quarantine_rows()`` one page at a time
  (paged in SQL: a large kabupaten has tens of thousands, each masked in Python) or all of them
  for a download, and ``officer_report()``, the report with the flagged rows from the same one
  computation of the flags.

What a person-level row may show is decided so that no combination of its columns narrows an
NIK to fewer than 1,000 candidates (UU 27/2022): the masked NIK keeps its first 4 digits
(province + kabupaten) and last 4 (serial); the 8 hidden digits are the kecamatan and the birth
date (day + 40 for women), so **birth date, sex and age are never shown beside it** (the desa is,
which gives away the 2 kecamatan digits and leaves about 37,000 birth dates). Columns are
recognised by the loader's own header aliases (etl.loaders.<kind>.FIELDS): NIK, KK and KPJ are
masked (6311********0001), a column the loader knows as harmless (place, occupation, dates of
the process, codes, amounts) is shown with any long digit run in it masked, and everything else,
names, phones, birth dates, sex and **every column the loader does not know** (an e-mail, an
address, a note), is personal by default and hidden: the row says which columns were hidden.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd

from etl import access_log, identity, queries, reasons
from etl.columns import MissingColumns, match_columns

MASKED, DROPPED = "mask", "drop"
# Person-level rows shown per page of a table: enough to work through, few enough that a large
# kabupaten's tens of thousands are not all masked and sent to the browser on every run.
PAGE_ROWS = 250
CLI_HINT = ("Baris lengkap (tanpa penyamaran) untuk diperbaiki di desa hanya bisa diambil oleh "
            "petugas data lewat baris perintah: `python -m etl export quarantine --load N > "
            "karantina.csv` (N = nomor muatan; tercatat di log akses). Perbaiki berkasnya lalu "
            "muat ulang.")

# Fields of the loaders (etl.loaders.*.FIELDS) by what a person-level row may show of them.
MASKED_FIELDS = frozenset({"nik", "kk", "kpj"})
SHOWN_FIELDS = frozenset({
    "timestamp", "kecamatan", "desa", "desa_code", "occupation",          # registrations
    "status", "reason", "date",                                           # verification
    "enrolled", "programs", "funding", "paid_through",                    # members
    "program", "paid_on", "amount",                                       # claims
    "sector", "year", "estimate", "source",                               # denominators
    "month", "quarter", "level", "code", "target",                        # targets
    "rm_id", "rm_name",                                                   # rm-areas (staff)
})
# Flag details that would give away the hidden digits of the NIK beside them.
_FLAG_DETAIL_SHOWN = {"nik_other_kabupaten", "desa_fuzzy_match"}


@lru_cache(maxsize=256)
def _header_fields(kind: str, headers: tuple[str, ...]) -> dict[str, str]:
    """header -> field name, as the loader of `kind` reads these headers."""
    from etl import loaders

    try:
        fields = loaders.get(kind).fields
    except (KeyError, ModuleNotFoundError):
        return {}
    optional = [type(f)(**{**f.__dict__, "required": False}) for f in fields]
    try:
        found = match_columns(list(headers), optional)
    except MissingColumns:  # cannot happen with optional fields; stay safe
        return {}
    return {headers[i]: name for name, i in found.items()}


def column_treatment(kind: str, headers: list[str]) -> dict[str, str | None]:
    """header -> 'mask', 'drop' or None (shown) for a row of `kind` with these headers."""
    return dict(_treatment(kind, tuple(headers)))


@lru_cache(maxsize=256)
def _treatment(kind: str, headers: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    # Cached: every row of one file has the same headers, and a large kabupaten's quarantine has
    # tens of thousands of rows (issue 16).
    fields = _header_fields(kind, headers)
    return tuple((header, MASKED if fields.get(header) in MASKED_FIELDS
                  else None if fields.get(header) in SHOWN_FIELDS else DROPPED)
                 for header in headers)


def personal_kind(header: str, kind: str = "registrations") -> str | None:
    """'mask' for an NIK, KK or KPJ column, None for a column shown as is, 'drop' for any other
    (names, phones, birth date, sex, and every column the loader does not know)."""
    return column_treatment(kind, [header])[header]


_LONG_DIGITS = re.compile(r"\d{9,}")


def mask_value(value) -> str:
    """An NIK or KK as written in a file, masked: only 16 clean digits keep their first 4 and
    last 4; anything else (scientific notation, wrong length) shows as '****'."""
    if value is None:
        return ""
    text = str(value).strip().lstrip("'")
    text = re.sub(r"\.0$", "", text)
    digits = re.sub(r"[\s.\-\u00a0]", "", text)
    return identity.mask_nik(digits if digits.isdigit() else "")


def _mask_digits(value) -> str:
    # A long digit run in a shown column may be an NIK, KK or phone typed in the wrong column.
    return _LONG_DIGITS.sub(lambda m: mask_value(m.group()) if len(m.group()) == 16
                            else "*" * len(m.group()), "" if value is None else str(value))


def mask_original(original: str | dict, kind: str = "registrations") -> dict:
    """The original row of a quarantined record as it may be shown: NIK/KK/KPJ masked, known
    harmless columns shown (long digit runs masked), every other column left out."""
    return _shown_and_hidden(_row(original), kind)[0]


def hidden_columns(original: str | dict, kind: str = "registrations") -> list[str]:
    return _shown_and_hidden(_row(original), kind)[1]


def _row(original: str | dict) -> dict:
    return json.loads(original) if isinstance(original, str) else dict(original)


def _shown_and_hidden(row: dict, kind: str) -> tuple[dict, list[str]]:
    """(the row as it may be shown, the headers left out), from one parse of the row."""
    shown, hidden = {}, []
    for header, treatment in _treatment(kind, tuple(row)):
        value = row[header]
        if treatment == MASKED:
            shown[header] = mask_value(value)
        elif treatment is None:
            shown[header] = _mask_digits(value)
        else:
            hidden.append(header)
    return shown, hidden


def loads(con) -> pd.DataFrame:
    """meta.loads, newest first, with Indonesian headers."""
    frame = queries.run(con, "quality_loads")
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Jenis": frame["kind"], "Berkas": frame["source_file"],
        "Waktu muat": frame["loaded_at"], "Baris dibaca": frame["rows_read"],
        "Diterima": frame["accepted"], "Dikarantina": frame["quarantined"],
        "Duplikat": frame["duplicates"], "Sidik berkas": frame["file_sha256_short"]})


def quarantine_by_reason(con) -> pd.DataFrame:
    frame = queries.run(con, "quality_quarantine_reasons")
    return pd.DataFrame({"Jenis berkas": frame["kind"], "Kode alasan": frame["reason_code"],
                         "Alasan": [reasons.describe(c) for c in frame["reason_code"]],
                         "Baris": frame["rows"]})


def quarantine_by_place(con) -> pd.DataFrame:
    frame = queries.run(con, "quality_quarantine_places")
    return pd.DataFrame({
        "Kecamatan": frame["kecamatan_nama"].fillna("(tidak dikenali)"),
        "Desa": frame["desa_nama"].fillna("(tidak dikenali)"),
        "Kode desa": frame["desa_code"], "Baris": frame["rows"],
        "Alasan": frame["reason_codes"]})


def quarantine_rows(con, load_id: int | None = None, offset: int = 0,
                    limit: int | None = None) -> pd.DataFrame:
    """Quarantined rows, each distinct rejected row once at its latest load (only those whose
    latest load is `load_id`, when given), masked: safe to show and to download. Rows still in
    the newest file of their kind first; `offset` and `limit` give one page of that order
    (limit None: every row, for a download)."""
    frame = queries.run(con, "quality_quarantine_rows",
                        {"load_id": load_id, "offset": int(offset), "limit": limit})
    treated = [_shown_and_hidden(_row(o), k) for o, k in zip(frame["original"], frame["kind"])]
    masked, hidden = [t[0] for t in treated], [t[1] for t in treated]
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Jenis": frame["kind"], "Berkas": frame["source_file"],
        "Baris ke": frame["row_number"],
        "Di berkas terakhir": frame["in_latest_file"].map({True: "ya", False: "tidak"}),
        "Alasan": [reasons.describe(c) for c in frame["reason_code"]],
        "Kode alasan": frame["reason_code"],
        "Kecamatan": frame["kecamatan_nama"], "Desa": frame["desa_nama"],
        "Isi baris (disamarkan)": [" · ".join(f"{k}: {v}" for k, v in m.items())
                                   for m in masked],
        "Kolom disembunyikan": [", ".join(h) for h in hidden],
    })


def flags(con) -> pd.DataFrame:
    """Flags on accepted rows (NIK from another kabupaten, NIK vs birth date or sex, age, fuzzy
    place), with the masked NIK and place."""
    frame = queries.run(con, "quality_flags")
    # A birth date, sex or age from the form beside the masked NIK would give its hidden digits
    # away: the detail of those flags stays out (the full row: CLI export, access-logged).
    detail = [d if c in _FLAG_DETAIL_SHOWN else "" for c, d in
              zip(frame["flag_code"], frame["detail"])]
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Baris ke": frame["row_number"],
        "Tanda": [reasons.describe(c) for c in frame["flag_code"]],
        "Kode tanda": frame["flag_code"], "Keterangan": detail,
        "NIK (disamarkan)": frame["nik_masked"], "Kecamatan": frame["kecamatan_nama"],
        "Desa": frame["desa_nama"]})


def flag_summary(flag_table: pd.DataFrame) -> pd.DataFrame:
    if flag_table.empty:
        return pd.DataFrame(columns=["Tanda", "Baris"])
    return (flag_table.groupby(["Kode tanda", "Tanda"], as_index=False).size()
            .rename(columns={"size": "Baris"}).sort_values("Baris", ascending=False)
            .drop(columns="Kode tanda").reset_index(drop=True))


def name_matches(con) -> pd.DataFrame:
    """Place names that did not match (first) or matched only by fuzzy spelling."""
    frame = queries.run(con, "quality_name_matches")
    method = {"unmatched": "tidak cocok", "fuzzy": "ejaan terdekat"}
    return pd.DataFrame({
        "Hasil": frame["method"].map(method).fillna(frame["method"]),
        "Kecamatan tertulis": frame["kecamatan_text"], "Desa tertulis": frame["desa_text"],
        "Kode terpilih": frame["desa_code"].fillna(frame["kecamatan_code"]),
        "Skor": frame["score"].round(0), "Calon terdekat": frame["candidates"],
        "Baris": frame["rows"]})


def over_coverage(con, as_of=None) -> pd.DataFrame:
    """Desa whose active members exceed the estimated workers (etl.metrics.coverage_issues)."""
    from etl import metrics

    frame = metrics.coverage_issues(con, as_of=as_of)
    return pd.DataFrame({
        "Kode desa": frame["kode"], "Desa": frame["nama"], "Kecamatan": frame["kecamatan_nama"],
        "Perkiraan pekerja": frame["estimated_workers"], "Peserta aktif": frame["active"],
        "Cakupan (%)": frame["coverage_pct"], "Kelebihan (orang)": frame["excess"]})


def unmapped_occupations(con) -> pd.DataFrame:
    """Occupation texts no sector keyword recognises, most frequent first, with how many form
    registrants wrote them (they count as 'Lainnya' until a keyword is added)."""
    from etl import sectors

    try:
        frame = queries.run(con, "quality_unmapped_occupations")
    except Exception:  # marts.occupations not built yet (nothing loaded)
        frame = pd.DataFrame({"occupation_text": [], "people": []})
    return pd.DataFrame({"Pekerjaan tertulis": frame["occupation_text"].astype("str"),
                         "Pendaftar": frame["people"].astype("Int64"),
                         "Sektor sekarang": sectors.SECTOR_LABELS["lainnya"]})


def quarantine_counts(con) -> pd.DataFrame:
    """Rows quarantine_rows lists, per load (newest first) and by whether the load is the newest
    file of its kind: Muatan, Di berkas terakhir (bool), Baris."""
    frame = queries.run(con, "quality_quarantine_loads")
    return pd.DataFrame({"Muatan": frame["load_id"].astype(int),
                         "Di berkas terakhir": frame["in_latest_file"].astype(bool),
                         "Baris": frame["rows"].astype(int)})


def rows_per_load(by_load: pd.DataFrame) -> dict:
    """The page's "Muatan" choices with the rows each lists, from report()["by_load"]:
    {"Semua": all rows, newest load: its rows, ...}."""
    per_load = by_load.groupby("Muatan")["Baris"].sum().sort_index(ascending=False)
    return {"Semua": int(per_load.sum()), **{int(k): int(v) for k, v in per_load.items()}}


def report(con, as_of=None) -> dict:
    """The counts the page shows to every role that may open it (no person-level rows)."""
    return _report(con, as_of, flags(con))


def officer_report(con, as_of=None) -> dict:
    """report() and the flagged rows themselves (masked, key "flags"), for the data officer
    (admin) only: both come from one computation of the flags. The page records every view and
    download of the rows in the access log."""
    flag_table = flags(con)
    return {**_report(con, as_of, flag_table), "flags": flag_table}


def _report(con, as_of, flag_table: pd.DataFrame) -> dict:
    from etl import metrics

    by_load = quarantine_counts(con)
    return {
        "loads": loads(con),
        "by_reason": quarantine_by_reason(con),
        "by_place": quarantine_by_place(con),
        "by_load": by_load,
        "rows_total": int(by_load["Baris"].sum()),
        "rows_not_in_latest": int(by_load.loc[~by_load["Di berkas terakhir"], "Baris"].sum()),
        "flags_total": len(flag_table),
        "flag_summary": flag_summary(flag_table),
        "flags_by_place": flags_by_place(flag_table),
        "names": name_matches(con),
        "over": over_coverage(con, as_of),
        "unplaced": metrics.unplaced(con),
        "occupations": unmapped_occupations(con),
    }


def flags_by_place(flag_table: pd.DataFrame) -> pd.DataFrame:
    """Flagged rows counted per kecamatan, desa and kind of flag."""
    if flag_table.empty:
        return pd.DataFrame(columns=["Kecamatan", "Desa", "Tanda", "Baris"])
    return (flag_table.fillna({"Kecamatan": "(tidak dikenali)", "Desa": "(tidak dikenali)"})
            .groupby(["Kecamatan", "Desa", "Tanda"], as_index=False).size()
            .rename(columns={"size": "Baris"}).sort_values("Baris", ascending=False)
            .reset_index(drop=True))


def reasons_figure(by_reason: pd.DataFrame):
    """Quarantined rows per reason (horizontal bars, Indonesian reason text)."""
    import plotly.graph_objects as go

    data = (by_reason.groupby("Kode alasan", as_index=False)["Baris"].sum()
            .sort_values("Baris", kind="stable"))
    labels = [reasons.describe(c) for c in data["Kode alasan"]]
    short = [t if len(t) <= 60 else t[:57] + "..." for t in labels]
    fig = go.Figure(go.Bar(y=short, x=data["Baris"], orientation="h", marker_color="#ef6c00",
                           hovertext=labels, hovertemplate="%{hovertext}: %{x:,}<extra></extra>"))
    fig.update_layout(xaxis_title="Baris dikarantina", yaxis_title=None, font=dict(size=14),
                      height=max(300, 36 * len(data) + 100), margin=dict(l=10, r=10, t=30, b=40))
    return fig


# -- the access log of person-level rows (dashboard.auth for the user and address) -----------

def record_view(user, what: str, rows: int, version=None) -> None:
    """Record that `user` sees `rows` person-level rows of `what` on the page: once per session
    for each table, selection and database version (a rerun of the same view is not a new one)."""
    import streamlit as st

    from . import auth

    seen = st.session_state.setdefault("cakupan_access_seen", set())
    key = (user.username, what, int(rows), version)
    if key in seen:
        return
    seen.add(key)
    access_log.record(user.username, user.role, "lihat", what, rows, auth.client_address())


def download_recorder(user, rows: int):
    """The on_download callback of layout.download_buttons for a person-level table."""
    from . import auth

    def record(file_name: str) -> None:
        access_log.record(user.username, user.role, "unduh", file_name, rows,
                          auth.client_address())

    return record


def access_log_path() -> str:
    """Where the access log of personal data is kept (shown to the data officer)."""
    return str(access_log.log_path())


def access_log_rows() -> pd.DataFrame:
    """The access log of personal data (etl.access_log), for the data officer's page."""
    return access_log.read()
