"""Page elements shared by every page that need no database: the provisional-month wording, the
footer, the notes under coverage tables, Indonesian table styling and the CSV/XLSX download
buttons. (What depends on the database's state, the "no data yet" stop, the freshness stamp and
the provisional banner, is dashboard.status; layout never reads data.)

Number and date formats (12.345 pekerja; 45,6%; 31 Oktober 2026) are defined once in
etl.formats and re-exported here for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.formats import (MISSING, MONTHS_ID, fmt_date, fmt_decimal, fmt_int,  # noqa: F401
                         fmt_juta, fmt_month, fmt_pct, fmt_percent, fmt_rupiah, fmt_signed)

# --- formats: defined once in etl.formats, re-exported for the pages -----------------------------

def provisional_text(last_day) -> str:
    """'sementara, s.d. 1 Desember 2026': the mark of a month still running at the data's last
    day (etl.metrics.provisional_through)."""
    return f"sementara, s.d. {fmt_date(last_day)}"


def month_phrase(as_of: str, through: str | None = None) -> str:
    """'keadaan akhir Oktober 2026', or for the running month 'keadaan sementara Desember 2026
    (s.d. 1 Desember 2026)': `through` is the data's last day when the month is provisional."""
    if through:
        return f"keadaan sementara {fmt_month(as_of)} (s.d. {fmt_date(through)})"
    return f"keadaan akhir {fmt_month(as_of)}"


def file_stem(name: str, through: str | None = None) -> str:
    """A download's file name marks a provisional month too (the file leaves the page)."""
    return f"{name}_sementara_sd_{through}" if through else name


# --- streamlit elements ----------------------------------------------------------------------------

def locked_page(key: str, title: str):
    """Stand-in for a page the user's role may not see (registered hidden by app.py)."""
    import streamlit as st

    def page():
        st.title(title)
        st.info("Halaman ini hanya untuk staf yang berwenang. Silakan masuk melalui menu di "
                "samping dengan akun yang memiliki akses.", icon=":material/lock:")

    page.__name__ = f"locked_{key}"
    return page


def footer() -> None:
    import streamlit as st

    st.caption("Cakupan · perencanaan cakupan jaminan sosial ketenagakerjaan pekerja rentan. "
               "Sumber: pendaftaran Lindungi Prens, verifikasi, data kepesertaan BPJS "
               "Ketenagakerjaan, perkiraan jumlah pekerja. Definisi: cakupan = peserta aktif / "
               "perkiraan pekerja dalam sasaran.")


def place_summary(row) -> str:
    """One place's figures in one line (markdown), e.g. under the map after a click."""
    pct = row["coverage_pct"]
    parts = [f"**{str(row['nama']).title()}**: cakupan "
             f"{fmt_percent(pct)}",
             f"{fmt_int(row['active'])} aktif dari perkiraan {fmt_int(row['estimated_workers'])}",
             f"belum terlindungi {fmt_int(row['gap'])}",
             f"mendaftar {fmt_int(row['registered'])}, terdaftar BPJS {fmt_int(row['enrolled'])}"]
    return " · ".join(parts)


def estimate_year_note(table: pd.DataFrame) -> None:
    """Say so when a coverage table's estimates of workers are another year's (the nearest
    earlier year's, etl.metrics.estimate_year_note)."""
    import streamlit as st

    from etl import metrics

    note = metrics.estimate_year_note(table) if "estimate_year" in table else None
    if note:
        st.info(note, icon=":material/event:")


def partial_estimate_note(table: pd.DataFrame, label_column: str = "nama",
                          year_note: bool = True) -> None:
    """Say which rows of a coverage table have an estimate for only some of their desa: the
    people of the other desa are counted while their workers are not, so coverage reads high.
    With `year_note`, also when the estimates are another year's (etl.metrics
    .estimate_year_note): a page calls it once with it."""
    import streamlit as st

    from etl import metrics

    if year_note:
        estimate_year_note(table)
    partial = metrics.partial_estimates(table)
    if partial.empty:
        return
    def label(r) -> str:
        # Place names come in capitals from the gazetteer; sector labels are written out.
        value = str(getattr(r, label_column))
        return value.title() if label_column == "nama" else value

    named = [f"{label(r)} ({fmt_int(r.estimate_desa)} dari {fmt_int(r.desa_total)} desa)"
             for r in partial.head(3).itertuples(index=False)]
    more = f" dan {fmt_int(len(partial) - 3)} lainnya" if len(partial) > 3 else ""
    st.info("Perkiraan pekerja baru ada untuk sebagian desa di " + "; ".join(named) + more
            + ". Peserta di desa tanpa perkiraan tetap dihitung, jadi cakupan di sana terbaca "
            "lebih tinggi dari sebenarnya. Lengkapi perkiraan per desa dengan "
            "`python -m etl load denominators BERKAS`.", icon=":material/info:")


def unknown_place_note(table: pd.DataFrame) -> None:
    """Under a table holding the row "wilayah tidak diketahui": who they are, and that they are
    in the kabupaten's total (not in any kecamatan or desa)."""
    import streamlit as st

    unknown = table[table["kode"].isna()]
    if unknown.empty:
        return
    r = unknown.iloc[0]
    st.caption(f"Wilayah tidak diketahui: {fmt_int(r['enrolled'])} peserta BPJS "
               f"({fmt_int(r['active'])} aktif) tanpa desa (tidak mendaftar lewat formulir dan "
               "kode desa di data kepesertaan kosong atau di luar kabupaten). Mereka terhitung di "
               "jumlah kabupaten, tidak di kecamatan atau desa mana pun; lengkapi KODE_DESA di "
               "data kepesertaan.")


def table(data, **kwargs):
    """st.dataframe with an empty cell shown as "-" (etl.formats.MISSING), as in the downloads
    and the PDF: Streamlit's own placeholder is a grey "None", which the "wilayah tidak
    diketahui" row showed under coverage and gap. Every page draws its tables through this
    (tests/unit/test_architecture.py)."""
    import streamlit as st

    return st.dataframe(data, placeholder=MISSING, **kwargs)


def styled(frame: pd.DataFrame):
    """A table for st.dataframe shown with Indonesian number formats (12.345; 45,6) while
    sorting still uses the numbers underneath."""
    numeric = frame.select_dtypes("number").columns
    decimals = [c for c in numeric if "%" in c or "poin" in c]
    style = frame.style.format(thousands=".", decimal=",", precision=0, na_rep="-",
                               subset=[c for c in numeric if c not in decimals])
    return style.format(thousands=".", decimal=",", precision=1, na_rep="-", subset=decimals)


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    from etl import spreadsheets

    return spreadsheets.xlsx_bytes(frame, sheet)


def _file_bytes(frame: pd.DataFrame, name: str, kind: str) -> bytes:
    import streamlit as st

    @st.cache_data(max_entries=128, show_spinner=False)
    def make(frame: pd.DataFrame, name: str, kind: str) -> bytes:
        if kind == "csv":
            from etl import spreadsheets

            return spreadsheets.csv_bytes(frame)
        return to_xlsx(frame, name)

    return make(frame, name, kind)


def download_buttons(frame: pd.DataFrame, name: str, key: str, on_download=None) -> None:
    """Two buttons side by side: the table as CSV and as XLSX (same columns as shown).

    ``on_download(file_name)``, when given, is called on the server when a button is clicked
    (the access log of person-level rows).

    The files are cached per table content: a page with seven tables otherwise spent most of
    each run writing spreadsheets. (A callable `data`, made on click, did not start a download
    in Chromium with Streamlit 1.67: tests/e2e/test_table_downloads.py.) A table too large to
    write on every run is offered with prepared_downloads instead.
    """
    _file_buttons(_file_bytes(frame, name, "csv"), _file_bytes(frame, name, "xlsx"), name, key,
                  on_download)


def _file_buttons(csv: bytes, xlsx: bytes, name: str, key: str, on_download) -> None:
    import streamlit as st

    def clicked(file_name: str) -> dict:
        # Without a callback a click must not rerun the page: a rerun replaces the files being
        # served, so a second download started during it was cancelled (seen in Chromium).
        return ({"on_click": on_download, "args": (file_name,)} if on_download
                else {"on_click": "ignore"})

    left, right = st.columns(2)
    left.download_button("Unduh CSV", csv, file_name=f"{name}.csv", mime="text/csv",
                         key=f"{key}_csv", icon=":material/download:", width="stretch",
                         **clicked(f"{name}.csv"))
    right.download_button(
        "Unduh XLSX", xlsx, file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", icon=":material/download:", width="stretch",
        **clicked(f"{name}.xlsx"))


PREPARED_KEY = "cakupan_prepared_files"


def prepared_downloads(make, name: str, key: str, token, rows: int, on_download=None) -> None:
    """The CSV and XLSX of a table too large to write on every run (tens of thousands of
    person-level rows: the XLSX alone takes seconds), made on request: a button "Siapkan
    unduhan" calls ``make()`` (the whole table, not the page shown) and writes both files, then
    the two buttons of download_buttons take its place, with the same ``on_download``.

    The files are kept in the session for ``token`` (what they were made from: the selection
    and the database version); when the token changes, the button asks again. They are bytes
    held by the session, not a callable: a callable `data` did not start a download in
    Chromium with Streamlit 1.67 (see download_buttons).
    """
    import streamlit as st

    held = st.session_state.setdefault(PREPARED_KEY, {}).get(key)
    if held is None or held["token"] != token:
        ask = st.empty()
        with ask.container():
            left, right = st.columns([1, 2], vertical_alignment="center")
            go = left.button("Siapkan unduhan", key=f"{key}_prepare", width="stretch",
                             icon=":material/file_export:")
            right.caption(f"Berkas CSV dan XLSX dari semua {fmt_int(rows)} baris dibuat saat "
                          "diminta (untuk puluhan ribu baris perlu beberapa detik).")
        if not go:
            return
        with st.spinner(f"Menyiapkan berkas {fmt_int(rows)} baris ..."):
            from etl import spreadsheets

            frame = make()
            held = {"token": token, "csv": spreadsheets.csv_bytes(frame),
                    "xlsx": to_xlsx(frame, name)}
        st.session_state[PREPARED_KEY][key] = held
        ask.empty()
    _file_buttons(held["csv"], held["xlsx"], name, key, on_download)
    st.caption(f"Berkas berisi semua {fmt_int(rows)} baris, bukan hanya halaman yang tampil.")


@dataclass(frozen=True)
class Window:
    """One page of a long table: rows offset+1 .. stop of total."""
    offset: int
    limit: int
    total: int

    @property
    def stop(self) -> int:
        return min(self.offset + self.limit, self.total)

    def label(self) -> str:
        """'baris 251–500 dari 28.421'."""
        if not self.total:
            return "tidak ada baris"
        return (f"baris {fmt_int(self.offset + 1)}–{fmt_int(self.stop)} dari "
                f"{fmt_int(self.total)}")


def pager(total: int, key: str, page_rows: int) -> Window:
    """Page controls for a long table ("Sebelumnya", the page number, "Berikutnya") and the
    caption "Baris 251–500 dari 28.421"; returns the rows to show. The page number lives in
    session state under ``key`` (reset_pager goes back to the first page, e.g. when a filter
    changes); a page beyond the last (fewer rows in a new database version) shows the last."""
    import streamlit as st

    pages = max(1, -(-int(total) // page_rows))
    state = st.session_state
    current = min(max(int(state.get(key) or 1), 1), pages)
    state[key] = current

    def step(delta: int) -> None:
        state[key] = min(max(int(state.get(key, 1)) + delta, 1), pages)

    if pages > 1:
        back, number, ahead, note = st.columns([1.2, 1, 1.2, 3], vertical_alignment="bottom")
        back.button("Sebelumnya", key=f"{key}_back", icon=":material/chevron_left:",
                    disabled=current <= 1, on_click=step, args=(-1,), width="stretch")
        current = int(number.number_input(f"Halaman (dari {fmt_int(pages)})", min_value=1,
                                          max_value=pages, step=1, key=key))
        ahead.button("Berikutnya", key=f"{key}_ahead", icon=":material/chevron_right:",
                     disabled=current >= pages, on_click=step, args=(1,), width="stretch")
    else:
        note = st
    window = Window((current - 1) * page_rows, page_rows, int(total))
    label = window.label()
    note.caption(label[0].upper() + label[1:])
    return window


def reset_pager(key: str) -> None:
    """Back to the first page of pager(key=...) (an on_change callback of a filter)."""
    import streamlit as st

    st.session_state[key] = 1


PAGE_CSS = """
<style>
/* Projector-friendly headline cards: big values, readable labels. */
[data-testid="stMetric"] {background:#f6f8f7;border:1px solid #e3e8e6;border-radius:10px;
                          padding:14px 18px;}
[data-testid="stMetricValue"] {font-size:2.6rem;font-weight:700;color:#0b3d2e;}
[data-testid="stMetricLabel"] p {font-size:1.05rem;}
.block-container {padding-top:2.2rem;}
.cakupan-stamp {text-align:right;color:#555;font-size:0.95rem;margin-bottom:-2.5rem;}
</style>
"""


def page_style() -> None:
    """The app-wide CSS (drawn once per run by app.py)."""
    import streamlit as st

    st.html(PAGE_CSS)
