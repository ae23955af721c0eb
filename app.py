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

from dashboard import auth, data, filters, layout, registry  # noqa: E402

st.set_page_config(page_title="Cakupan · Jaminan Sosial Pekerja Rentan",
                   page_icon=":material/shield_person:", layout="wide",
                   initial_sidebar_state="expanded")

layout.page_style()
user = auth.authenticate()  # sign-in box, cookie restore, expiry (issue 5)
specs = registry.visible_pages(user.role)
if not specs:
    st.info("Belum ada halaman yang dapat ditampilkan untuk peran Anda. Staf dapat masuk "
            "melalui menu di samping.")
    st.stop()

sections: dict[str, list] = {}
for i, spec in enumerate(specs):
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.key, default=i == 0))
page = st.navigation(sections, position="sidebar")
current = next((s for s in specs if s.key == page.url_path), specs[0])

with st.sidebar:
    st.markdown(f"### :material/shield_person: Cakupan\n{filters.kabupaten_label()}")
    layout.freshness_stamp()

if current.uses_filters and data.available():
    try:
        filters.sidebar(data.months())
    except Exception as exc:  # a broken query must not hide every page
        st.sidebar.warning(f"Filter tidak dapat dimuat: {exc}")
else:
    filters.keep()

page.run()
layout.footer()
