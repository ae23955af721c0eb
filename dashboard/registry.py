"""The page registry: every dashboard page, who may see it, and the server-side access check.
(The roles themselves and their labels are etl.roles.)

app.py builds ``st.navigation`` from PAGES (explicit ``st.Page`` paths into pages/; Streamlit's
automatic pages/ discovery is off once st.navigation is called). A page whose file does not exist
yet is skipped, so the app keeps running while pages are being written.

The menu only lists what a role may see, but a menu is not access control: every internal page
calls ``require(<its key>)`` first, which stops the run with an error for a role that may not see
it (direct URL access, a stale link).

The first visitor after a start: until some session has run app.py, Streamlit believes the app
uses its automatic pages/ menu (it decides per process, from the folder's existence) and runs
the requested page file directly, with a menu of every file in pages/. ``require`` notices that
mode, switches it off and reruns, so app.py builds the real, role-filtered menu for that visitor
too before the page draws anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl import roles

APP_DIR = Path(__file__).resolve().parent.parent

# The roles are defined once, in etl.roles; re-exported for the callers of the registry.
ROLES = roles.ROLES
ROLE_LABELS = roles.LABELS
INTERNAL = roles.ACCOUNT_ROLES
_RM, _LEAD, _ADMIN = roles.RM, roles.LEADERSHIP, roles.ADMIN


@dataclass(frozen=True)
class PageSpec:
    key: str                 # stable id, also the URL path (/peta)
    path: str                # script path relative to app.py
    title: str               # menu and page title (Indonesian)
    icon: str
    roles: tuple[str, ...]   # roles allowed to see the page
    section: str             # menu group
    uses_filters: bool = True  # show the shared sidebar filters (dashboard.filters) on this page

    @property
    def exists(self) -> bool:
        return (APP_DIR / self.path).is_file()


# Order matters: within a role, the first visible page is the landing page.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("ringkasan", "pages/ringkasan.py", "Ringkasan", ":material/dashboard:",
             INTERNAL, "Perencanaan"),
    PageSpec("peta", "pages/peta.py", "Peta cakupan", ":material/map:",
             INTERNAL, "Perencanaan"),
    PageSpec("target", "pages/target.py", "Target", ":material/flag:",
             (_RM, _LEAD), "Perencanaan"),
    PageSpec("sektor", "pages/sektor.py", "Sektor", ":material/agriculture:",
             (_RM, _LEAD), "Perencanaan"),
    PageSpec("prioritas", "pages/prioritas.py", "Prioritas & Anggaran", ":material/payments:",
             (_RM, _LEAD), "Perencanaan"),
    # pimpinan records decisions, the admin reads them (dashboard.meetings.can_write).
    PageSpec("rapat", "pages/rapat.py", "Rapat", ":material/groups:",
             (_LEAD, _ADMIN), "Perencanaan"),
    PageSpec("kualitas", "pages/kualitas.py", "Kualitas data", ":material/fact_check:",
             (_LEAD, _ADMIN), "Data"),
    PageSpec("publik", "pages/publik.py", "Transparansi", ":material/public:",
             ROLES, "Publik", uses_filters=False),
    PageSpec("unggah", "pages/admin_unggah.py", "Unggah data", ":material/upload_file:",
             (_ADMIN,), "Administrasi", uses_filters=False),
    PageSpec("pengguna", "pages/admin_pengguna.py", "Pengguna", ":material/group:",
             (_ADMIN,), "Administrasi", uses_filters=False),
)

_BY_KEY = {p.key: p for p in PAGES}


def spec(key: str) -> PageSpec:
    return _BY_KEY[key]


def visible_pages(role: str) -> list[PageSpec]:
    """Pages the role may see whose file exists, in menu order."""
    return [p for p in PAGES if role in p.roles and p.exists]


def allowed(role: str, page_key: str) -> bool:
    return role in spec(page_key).roles


def require(page_key: str):
    """Stop the page unless the current user's role may see it; returns the user otherwise.

    Called at the top of every page: the server-side check behind the role-filtered menu.
    """
    import streamlit as st

    from . import auth

    _leave_automatic_pages_menu(page_key)
    user = auth.current_user()
    if not allowed(user.role, page_key):
        st.error("Anda tidak memiliki akses ke halaman ini. Silakan masuk dengan akun yang "
                 "berwenang atau kembali ke halaman utama.")
        st.stop()
    return user


WANTED_PAGE_KEY = "cakupan_wanted_page"


def _leave_automatic_pages_menu(page_key: str) -> None:
    """Run through app.py when Streamlit's automatic pages/ menu is still on (see above); app.py
    then opens this page (its address in that mode is the file name, not the registry's)."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.session_state[WANTED_PAGE_KEY] = page_key
        st.rerun()
