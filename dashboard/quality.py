"""Data quality for the data officer: loads, quarantine (masked), flags, unmatched names, desa above
100% coverage.

Owns what the Kualitas Data page shows and the masking of quarantined rows. meta.quarantine keeps
the original row, personal data included, so a desa can fix it and load it again (the full rows
come only from the CLI: ``python -m etl export quarantine --load N``). This page never shows a full
NIK, KK, name or phone: NIK, KK (and KPJ) columns are masked (6311********0001, etl.identity.mask_nik on
the cleaned digits), name and phone columns are dropped. Columns are recognised by the same
header aliases the registration loader uses (etl.loaders.registrations.FIELDS), so a column the
loader would read as a NIK is masked here too. SQL lives in etl/sql/queries/quality_*.sql.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from etl import db, identity, reasons
from etl.columns import normalise_header

MASKED, DROPPED = "mask", "drop"
CLI_HINT = ("Baris lengkap (tanpa penyamaran) untuk diperbaiki di desa hanya bisa diambil oleh "
            "petugas data lewat baris perintah: `python -m etl export quarantine --load N > "
            "karantina.csv` (N = nomor muatan). Perbaiki berkasnya lalu muat ulang.")

# Extra aliases seen in the other exports (members: NAMA, KPJ) besides the form's.
_EXTRA = {"name": ("nama peserta", "nama pekerja", "nama tenaga kerja"),
          "phone": ("no telp", "nomor telepon", "no wa", "kontak"),
          "kpj": ("kpj", "no kpj", "nomor kpj", "nomor kepesertaan", "no kepesertaan")}


def _personal_fields() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    from etl.loaders.registrations import FIELDS

    fields = [(f.name, f.aliases + _EXTRA.get(f.name, ()), f.exclude) for f in FIELDS
              if f.name in ("kk", "nik", "name", "phone")]
    return fields + [("kpj", _EXTRA["kpj"], ())]


def personal_kind(header: str) -> str | None:
    """'mask' for an NIK, KK or KPJ column, 'drop' for a name or phone column, None otherwise.

    The longest alias found wins, as in etl.columns.match_columns: "NAMA LENGKAP (Sesuai KTP)" is
    a name column although it mentions the KTP."""
    h = normalise_header(header)
    best, kind = 0, None
    for name, aliases, exclude in _personal_fields():
        if any(f" {x} " in h for x in exclude):
            continue
        length = max((len(a) for a in aliases if f" {a} " in h), default=0)
        if length > best:
            best, kind = length, (MASKED if name in ("nik", "kk", "kpj") else DROPPED)
    return kind


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


def mask_original(original: str | dict) -> dict:
    """The original row of a quarantined record with personal columns masked or dropped."""
    row = json.loads(original) if isinstance(original, str) else dict(original)
    out = {}
    for header, value in row.items():
        kind = personal_kind(header)
        if kind == DROPPED:
            continue
        if kind == MASKED:
            out[header] = mask_value(value)
        else:
            # A long digit run in any other column may be an NIK, KK or phone typed in the wrong
            # column: mask it too.
            out[header] = _LONG_DIGITS.sub(lambda m: mask_value(m.group()) if len(m.group()) == 16
                                           else "*" * len(m.group()),
                                           "" if value is None else str(value))
    return out


def _query(con, name: str, params: dict | None = None) -> pd.DataFrame:
    return con.execute(db.sql_text(f"queries/{name}.sql"), params or {}).df()


def loads(con) -> pd.DataFrame:
    """meta.loads, newest first, with Indonesian headers."""
    frame = _query(con, "quality_loads")
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Jenis": frame["kind"], "Berkas": frame["source_file"],
        "Waktu muat": frame["loaded_at"], "Baris dibaca": frame["rows_read"],
        "Diterima": frame["accepted"], "Dikarantina": frame["quarantined"],
        "Duplikat": frame["duplicates"], "Sidik berkas": frame["file_sha256_short"]})


def quarantine_by_reason(con) -> pd.DataFrame:
    frame = _query(con, "quality_quarantine_reasons")
    return pd.DataFrame({"Jenis berkas": frame["kind"], "Kode alasan": frame["reason_code"],
                         "Alasan": [reasons.describe(c) for c in frame["reason_code"]],
                         "Baris": frame["rows"]})


def quarantine_by_place(con) -> pd.DataFrame:
    frame = _query(con, "quality_quarantine_places")
    return pd.DataFrame({
        "Kecamatan": frame["kecamatan_nama"].fillna("(tidak dikenali)"),
        "Desa": frame["desa_nama"].fillna("(tidak dikenali)"),
        "Kode desa": frame["desa_code"], "Baris": frame["rows"],
        "Alasan": frame["reason_codes"]})


def quarantine_rows(con, load_id: int | None = None) -> pd.DataFrame:
    """Every quarantined row (of one load or all), masked: safe to show and to download."""
    frame = _query(con, "quality_quarantine_rows", {"load_id": load_id})
    masked = [mask_original(o) for o in frame["original"]]
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Jenis": frame["kind"], "Berkas": frame["source_file"],
        "Baris ke": frame["row_number"],
        "Di berkas terakhir": frame["in_latest_file"].map({True: "ya", False: "tidak"}),
        "Alasan": [reasons.describe(c) for c in frame["reason_code"]],
        "Kode alasan": frame["reason_code"],
        "Kecamatan": frame["kecamatan_nama"], "Desa": frame["desa_nama"],
        "Isi baris (disamarkan)": [" · ".join(f"{k}: {v}" for k, v in m.items())
                                   for m in masked],
    })


def flags(con) -> pd.DataFrame:
    """Flags on accepted rows (NIK from another kabupaten, NIK vs birth date or sex, age, fuzzy
    place), with the masked NIK and place."""
    frame = _query(con, "quality_flags")
    return pd.DataFrame({
        "Muatan": frame["load_id"], "Baris ke": frame["row_number"],
        "Tanda": [reasons.describe(c) for c in frame["flag_code"]],
        "Kode tanda": frame["flag_code"], "Keterangan": frame["detail"],
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
    frame = _query(con, "quality_name_matches")
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
    from etl import db, sectors

    try:
        frame = con.execute(db.sql_text("queries/quality_unmapped_occupations.sql")).df()
    except Exception:  # marts.occupations not built yet (nothing loaded)
        frame = pd.DataFrame({"occupation_text": [], "people": []})
    return pd.DataFrame({"Pekerjaan tertulis": frame["occupation_text"].astype("str"),
                         "Pendaftar": frame["people"].astype("Int64"),
                         "Sektor sekarang": sectors.SECTOR_LABELS["lainnya"]})


def report(con, as_of=None) -> dict:
    """Everything the page shows, in one call (cached by the page)."""
    from etl import metrics

    flag_table = flags(con)
    return {
        "loads": loads(con),
        "by_reason": quarantine_by_reason(con),
        "by_place": quarantine_by_place(con),
        "rows": quarantine_rows(con),
        "flags": flag_table,
        "flag_summary": flag_summary(flag_table),
        "names": name_matches(con),
        "over": over_coverage(con, as_of),
        "unplaced": metrics.unplaced(con),
        "occupations": unmapped_occupations(con),
    }


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
