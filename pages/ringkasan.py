"""Ringkasan: the headline for a planning meeting (layout only; data from dashboard.data)."""

from dashboard import layout, registry

registry.require("ringkasan")
import streamlit as st  # noqa: E402

st.title("Ringkasan")
layout.require_data()
st.info("Halaman sedang disiapkan.")
