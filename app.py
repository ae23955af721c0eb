"""Cakupan dashboard: the Streamlit entry script (`streamlit run app.py`).

Navigation decision (written once, here and in the README): this script calls ``st.navigation``
with explicit ``st.Page`` paths into pages/, taken from ``dashboard.registry.PAGES`` and filtered
by the user's role. Streamlit's automatic discovery of the pages/ folder is ignored once
``st.navigation`` is called, so a page exists for users only when it is in the registry.

Runs on every page, in this order: who is the user (dashboard.auth), which pages they may see,
the shared sidebar (data-freshness stamp, filters), then the chosen page. Pages re-check access
themselves (dashboard.registry.require) because a URL can be typed by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this folder on sys.path, AppTest does not: make `import dashboard` work in
# both.
_APP_DIR = str(Path(__file__).resolve().parent)
if _APP_DIR not in sys.path:
    sys.path.insert(0, _APP_DIR)

import streamlit as st  # noqa: E402

from dashboard import (auth, data, filters, hardening, layout, offline, registry,  # noqa: E402
                       status)

hardening.apply()  # private files, no cache clearing from the browser

# page_icon is required: without it Streamlit makes the page's Material icon the favicon and
# fetches it from fonts.gstatic.com (offline.FAVICON is inline, no request).
st.set_page_config(page_title="Cakupan · Jaminan Sosial Pekerja Rentan", page_icon=offline.FAVICON,
                   layout="wide", initial_sidebar_state="expanded")

layout.page_style()
user = auth.authenticate()  # sign-in box, cookie restore, expiry (issue 5)
specs = registry.visible_pages(user.role)
if not specs:
    st.info("Belum ada halaman yang dapat ditampilkan untuk peran Anda. Staf dapat masuk "
            "melalui menu di samping.")
    st.stop()

# Pages the role may not see are registered too, hidden from the menu and replaced by a
# "please sign in" page: their script never runs for that role, and a bookmarked or reloaded URL
# keeps its address while the sign-in cookie is restored (no "page not found" dialog).
sections: dict[str, list] = {}
for spec in specs:
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.key))
first_section = next(iter(sections.values()))
for spec in registry.PAGES:
    if spec.exists and spec not in specs:
        first_section.append(st.Page(layout.locked_page(spec.key, spec.title), title=spec.title,
                                     url_path=spec.key, visibility="hidden"))
# The root URL is a hidden page that switches to the role's landing page. Streamlit gives the
# default page the address "/" only, so a landing page marked default could not be reached or
# reloaded at /ringkasan; this way every page keeps its own address.
landing = first_section[0]
first_section.append(st.Page(lambda: st.switch_page(landing), title="Beranda", url_path="beranda",
                             default=True, visibility="hidden"))
page = st.navigation(sections, position="sidebar")
wanted = st.session_state.pop(registry.WANTED_PAGE_KEY, None)  # see registry.require
if wanted and page.url_path != wanted:
    target = next((p for group in sections.values() for p in group if p.url_path == wanted), None)
    if target is not None:
        st.switch_page(target)
current = next((s for s in specs if s.key == page.url_path), None)

with st.sidebar:
    st.markdown(f"### :material/shield_person: Cakupan\n{filters.kabupaten_label()}")
status.freshness_stamp()

if current is not None and current.uses_filters and data.available():
    try:
        filters.sidebar(data.months())
    except Exception as exc:  # a broken query must not hide every page
        st.sidebar.warning(f"Filter tidak dapat dimuat: {exc}")
else:
    filters.keep()

page.run()
layout.footer()
