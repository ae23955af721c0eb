"""What state the database is in, said on the page: the "no data yet" and "no months yet" stops,
the data-freshness stamp at the top of every page and the banner of a provisional (still running)
month. The only page elements that read dashboard.data; dashboard.layout holds the rest.
"""

from __future__ import annotations

import streamlit as st

from . import data
from .layout import fmt_date, fmt_month, provisional_text

NO_DATABASE = ("Belum ada data. Jalankan `python -m etl demo` untuk data contoh, atau muat berkas "
               "Anda dengan `python -m etl load ...`, lalu muat ulang halaman ini.")

NO_MONTHS = ("Basis data belum berisi pendaftaran atau kepesertaan yang dapat dihitung. Muat berkas "
             "pendaftaran (`python -m etl load registrations BERKAS`) atau data kepesertaan BPJS, "
             "lalu muat ulang halaman ini.")


def require_data() -> None:
    """Stop the page with one friendly sentence when there is no database yet."""
    if not data.available():
        st.info(NO_DATABASE, icon=":material/info:")
        st.stop()


def require_months() -> str:
    """The month a page opens on (the latest complete month, etl.metrics.default_month); stops
    the page with one sentence when there is none (a database holding only boundaries, or whose
    loads were all quarantined)."""
    require_data()
    try:
        month = data.default_month()
    except Exception:  # marts not built yet: nothing was loaded that they are made from
        month = None
    if not month:
        st.info(NO_MONTHS, icon=":material/info:")
        st.stop()
    return month


def freshness_stamp() -> None:
    """'Data per tanggal ...' at the top of every page (drawn by app.py), so a printed or projected
    page always says how fresh its figures are."""
    if not data.available():
        return
    try:
        when = data.data_date()
    except Exception:  # the stamp must never break a page
        when = None
    day = getattr(when, "data_date", None)
    if not day:
        return
    text = f"Data per tanggal <b>{fmt_date(day)}</b>"
    loaded = getattr(when, "loaded_at", None)
    if loaded:
        text += f" · dimuat {fmt_date(loaded)} pukul {loaded[11:16]}"
    st.markdown(f'<div class="cakupan-stamp">{text}</div>', unsafe_allow_html=True)


def provisional_banner(as_of: str | None) -> str | None:
    """On a page showing the running month: say so above everything (its figures are only up
    to the data's last day, and premiums not yet recorded for it are not lapses yet). Returns
    that day (None for a complete month), for the page's captions and file names."""
    through = data.provisional_through(as_of) if as_of else None
    if through:
        st.warning(f"**{fmt_month(as_of)} masih berjalan: angka {provisional_text(through)}.** "
                   "Iuran bulan ini yang belum tercatat belum dihitung sebagai menunggak; "
                   "bandingkan dengan bulan lengkap terakhir untuk angka final.",
                   icon=":material/schedule:")
    return through
