"""Peta: the coverage map (layout only; data from dashboard.data)."""

from dashboard import layout, registry

registry.require("peta")
import streamlit as st  # noqa: E402

st.title("Peta cakupan")
layout.require_data()
st.info("Halaman sedang disiapkan.")
