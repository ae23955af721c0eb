"""The "download the brief" button of a page, and whose brief a user may download (an RM: their
own area only, whatever the page's filters say). The PDF itself is dashboard.brief."""

from __future__ import annotations

import streamlit as st

from etl import settings

from . import auth, brief, data


def scope_for(user, kecamatan: str | None = None) -> dict:
    """The brief a user may download: an RM's brief is always of the RM's area (whatever the
    page's filters say); other roles get the kabupaten or the chosen kecamatan."""
    rm_id = auth.rm_area_filter(user)
    if user.role == "rm":
        return {"kecamatan": None, "rm_id": rm_id or ""}
    return {"kecamatan": kecamatan, "rm_id": None}


def download_button(kecamatan: str | None = None, key: str = "brief_pdf") -> None:
    """A "download the brief" button. The PDF (about 2 s) is made only when clicked, on
    Streamlit's download thread, with its own read-only connection (dashboard.data.run_alone).
    The scope follows the signed-in user (scope_for), so an RM never gets a kabupaten-wide
    brief."""
    path = str(data.db_path())
    scope = scope_for(auth.current_user(), kecamatan)
    if scope["rm_id"] == "":
        return  # an RM account without an area: nothing to brief on

    def make() -> bytes:
        return data.run_alone(brief.build_pdf, path=path, **scope)

    stem = "ringkasan_" + (scope["rm_id"] or scope["kecamatan"]
                           or settings.get("kabupaten")).replace(".", "")
    st.download_button("Unduh ringkasan PDF", data=make, file_name=f"{stem}.pdf",
                       mime="application/pdf", key=key, icon=":material/picture_as_pdf:",
                       help="Ringkasan 1-2 halaman untuk rapat: angka utama, peta, status "
                            "target, desa prioritas, sektor tertinggal.")
