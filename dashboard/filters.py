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

This module also decides the signed-in user's SCOPE, once for every page: an RM (role "rm") sees
only the desa of their area (core.rm_areas), so ``current()`` carries their rm_id and desa codes,
pages pass ``desa_codes`` to every data call (etl.metrics then restricts every figure to those
desa), the kecamatan filter offers only the kecamatan holding desa of the area, and captions say
"Wilayah RM-01". Other roles: no limit (desa_codes None).
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
    kecamatan: str | None        # code, None: whole kabupaten (or the whole RM area)
    sector: str | None           # sector code, None: all sectors
    rm_id: str | None = None     # the signed-in RM's area ('' for an RM without one)
    desa_codes: tuple[str, ...] | None = None   # the desa the user may see; None: no limit

    @property
    def area_label(self) -> str | None:
        """'Wilayah RM-01' for an RM, else None."""
        return f"Wilayah {self.rm_id}" if self.desa_codes is not None else None

    @property
    def place_label(self) -> str:
        """'Kabupaten Balangan', 'Kecamatan Juai', 'Wilayah RM-01' or
        'Wilayah RM-01 · Kecamatan Juai' (the part of that kecamatan in the RM's area)."""
        kec = f"Kecamatan {self.kecamatan_name.title()}" if self.kecamatan else None
        if self.area_label:
            return self.area_label + (f" · {kec}" if kec else "")
        return kec or kabupaten_label()

    @property
    def kecamatan_name(self) -> str | None:
        return gazetteer.name_of(self.kecamatan) if self.kecamatan else None

    @property
    def sector_label(self) -> str | None:
        return sectors.SECTOR_LABELS.get(self.sector) if self.sector else None

    @property
    def place_level(self) -> str:
        """The level places are shown at (map, coverage per place): the desa of a chosen
        kecamatan, and an RM's desa straight away (an RM's area is a handful of desa they act
        on one by one; a kecamatan coloured with just the part inside the area would read as
        the whole kecamatan's coverage); otherwise the kecamatan."""
        return "desa" if self.kecamatan or self.desa_codes is not None else "kecamatan"

    @property
    def headline_level(self) -> str:
        """The level of the headline row: the chosen kecamatan, else the kabupaten (for an RM:
        the part of it in their area)."""
        return "kecamatan" if self.kecamatan else "kabupaten"

    @property
    def target_scope(self) -> dict:
        """rm_id and kecamatan for dashboard.targets.target_status: an RM's targets are those of
        their area (the RM target), whatever the kecamatan filter says; other roles see the
        chosen kecamatan's (or every kecamatan's)."""
        return {"rm_id": self.rm_id, "kecamatan": None if self.rm_id else self.kecamatan}

    @property
    def desa_scope(self) -> dict:
        """kecamatan and desa_codes for the data calls that take both (priority, budget): the
        chosen kecamatan, within an RM's area only the area's desa."""
        return {"kecamatan": self.kecamatan, "desa_codes": self.desa_codes}

    @property
    def scope_label(self) -> str:
        """place_label, plus ' · sektor Perikanan' when set."""
        return self.place_label + (f" · sektor {self.sector_label}" if self.sector else "")


def user_area() -> tuple[str | None, tuple[str, ...] | None]:
    """(rm_id, desa codes) the signed-in user's data is limited to: (None, None) for every role
    but rm; for an RM their area, an empty tuple when the account has no area (they see
    nothing, see require_area)."""
    from . import auth

    user = auth.current_user()
    if user.role != "rm":
        return None, None
    rm_id = auth.rm_area_filter(user) or ""
    return rm_id, data.rm_desa_codes(rm_id)


def area_kecamatan(desa_codes: tuple[str, ...] | None, kab: str) -> dict[str, str]:
    """Kecamatan code -> name of the kabupaten, only those holding a desa of `desa_codes`."""
    kec = {r.code: r.name.title() for r in gazetteer.kecamatan_list(kab)}
    if desa_codes is None:
        return kec
    parents = {code.rsplit(".", 1)[0] for code in desa_codes}
    return {code: name for code, name in kec.items() if code in parents}


def require_area(f: Filters) -> None:
    """Stop the page with a warning for an RM whose account has no area: they see nothing
    rather than the kabupaten."""
    if f.desa_codes is not None and not f.desa_codes:
        st.warning("Akun RM ini belum dikaitkan dengan wilayah RM. Hubungi admin.")
        st.stop()


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
    kec = area_kecamatan(user_area()[1], data.kabupaten_code())
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
        if st.session_state.get(KEY_KECAMATAN, ALL) not in (ALL, *kec):
            st.session_state[KEY_KECAMATAN] = ALL  # e.g. outside an RM's (changed) area
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
    """The filter values of this session (defaults when the sidebar was not drawn), with the
    signed-in user's area (user_area). A kecamatan outside an RM's area (a value kept from
    before) counts as "every kecamatan of the area"."""
    ss = st.session_state
    kec = ss.get(KEY_KECAMATAN, ALL)
    sector = ss.get(KEY_SECTOR, ALL)
    rm_id, desa_codes = user_area()
    kecamatan = None if kec in (ALL, None) else kec
    if desa_codes is not None and not any(d.startswith(f"{kecamatan}.") for d in desa_codes):
        kecamatan = None
    return Filters(year=ss.get(KEY_YEAR), as_of=ss.get(KEY_AS_OF), kecamatan=kecamatan,
                   sector=None if sector in (ALL, None) else sector, rm_id=rm_id,
                   desa_codes=desa_codes)


def set_kecamatan(code: str | None) -> None:
    """Open one kecamatan (or the whole kabupaten with None) on every page.

    Only from a widget callback: Streamlit lets a callback, which runs before the script, change
    a widget's value; the script itself may not once the sidebar was drawn.
    """
    st.session_state[KEY_KECAMATAN] = code or ALL
