"""The shared sidebar filters: drawn once by app.py, read by every page through ``current()``.

Session-state keys (stable; other modules may read them, only this module writes them):

=================  ==========================================================================
``flt_year``       target year (int); defaults to the year of the default month
``flt_as_of``      as-of month 'YYYY-MM' within that year, one of the months with data; defaults
                   to the latest complete month (etl.metrics.default_month); the running month,
                   when offered, is labelled "sementara"
``flt_kecamatan``  Kemendagri code of one kecamatan, or ``ALL`` for the whole kabupaten
``flt_sector``     sector code (etl.sectors), or ``ALL`` for every sector
=================  ==========================================================================

The widgets live in the entry script, which runs on every page, so their values survive page
changes. Pages never draw their own copy of these filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from etl import gazetteer, sectors

from . import data
from .layout import fmt_month, provisional_text

ALL = "ALL"
KEY_YEAR = "flt_year"
KEY_AS_OF = "flt_as_of"
KEY_KECAMATAN = "flt_kecamatan"
KEY_SECTOR = "flt_sector"

@dataclass(frozen=True)
class Filters:
    year: int | None
    as_of: str | None            # 'YYYY-MM'
    kecamatan: str | None        # code, None: whole kabupaten
    sector: str | None           # sector code, None: all sectors

    @property
    def kecamatan_name(self) -> str | None:
        return gazetteer.name_of(self.kecamatan) if self.kecamatan else None

    @property
    def sector_label(self) -> str | None:
        return sectors.SECTOR_LABELS.get(self.sector) if self.sector else None

    @property
    def scope_label(self) -> str:
        """'Kabupaten Balangan' or 'Kecamatan Juai', plus ' · sektor Perikanan' when set."""
        place = (f"Kecamatan {self.kecamatan_name.title()}" if self.kecamatan
                 else kabupaten_label())
        return place + (f" · sektor {self.sector_label}" if self.sector else "")


def kabupaten_label() -> str:
    kab = gazetteer.kabupaten(data.kabupaten_code())
    name = kab.name.title()
    return name if name.lower().startswith(("kab", "kota")) else f"Kabupaten {name}"


def sidebar(months: list[str]) -> Filters:
    """Draw the filters in the sidebar and return their values. `months`: months with data (only
    those are offered: a month after the data cannot be chosen)."""
    years = sorted({int(m[:4]) for m in months}, reverse=True)
    span = data.data_span()
    default = span.default_month if span.default_month in months else (months or [None])[-1]
    kab = data.kabupaten_code()
    kec = {r.code: r.name.title() for r in gazetteer.kecamatan_list(kab)}
    sector_labels = sectors.SECTOR_LABELS
    with st.sidebar:
        st.markdown("**Saring data**")
        if years:
            if st.session_state.get(KEY_YEAR) not in years:
                st.session_state[KEY_YEAR] = int(default[:4]) if default else years[0]
            year = st.selectbox("Tahun", years, key=KEY_YEAR)
            in_year = [m for m in months if m.startswith(f"{year}-")][::-1]
            if st.session_state.get(KEY_AS_OF) not in in_year:
                st.session_state[KEY_AS_OF] = default if default in in_year else in_year[0]

            def label(month: str) -> str:
                if month == span.provisional_month:
                    return f"{fmt_month(month)} ({provisional_text(span.last_day)})"
                return fmt_month(month)

            st.selectbox("Keadaan per bulan", in_year, key=KEY_AS_OF, format_func=label,
                         help="Angka dihitung sampai akhir bulan ini. Bulan yang masih berjalan "
                              "ditandai sementara: angkanya baru sampai tanggal data terakhir.")
        st.selectbox("Kecamatan", [ALL, *kec], key=KEY_KECAMATAN,
                     format_func=lambda c: "Semua kecamatan" if c == ALL else kec.get(c, c))
        st.selectbox("Sektor", [ALL, *sector_labels], key=KEY_SECTOR,
                     format_func=lambda c: "Semua sektor" if c == ALL else sector_labels[c])
    return current()


def keep() -> None:
    """Keep the filter values on a page that does not draw them (Streamlit forgets the state of a
    widget that is not drawn in a run)."""
    for key in (KEY_YEAR, KEY_AS_OF, KEY_KECAMATAN, KEY_SECTOR):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def current() -> Filters:
    """The filter values of this session (defaults when the sidebar was not drawn)."""
    ss = st.session_state
    kec = ss.get(KEY_KECAMATAN, ALL)
    sector = ss.get(KEY_SECTOR, ALL)
    return Filters(year=ss.get(KEY_YEAR), as_of=ss.get(KEY_AS_OF),
                   kecamatan=None if kec in (ALL, None) else kec,
                   sector=None if sector in (ALL, None) else sector)


def set_kecamatan(code: str | None) -> None:
    """Open one kecamatan (or the whole kabupaten with None) on every page.

    Only from a widget callback: Streamlit lets a callback, which runs before the script, change
    a widget's value; the script itself may not once the sidebar was drawn.
    """
    st.session_state[KEY_KECAMATAN] = code or ALL
