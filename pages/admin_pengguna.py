"""Pengguna (admin): list, add and remove dashboard accounts (dashboard.accounts). Layout only."""

from dashboard import registry

user = registry.require("pengguna")

import streamlit as st  # noqa: E402

from dashboard import accounts, layout  # noqa: E402

st.title("Pengguna")
st.caption(f"Akun disimpan di {accounts.store_path()} (di luar repositori, kata sandi sebagai hash "
           "bcrypt). Sama dengan perintah `python -m etl users add|list|remove`.")

listed = accounts.local_accounts()
rows = accounts.table(listed)
if len(rows):
    layout.table(rows, hide_index=True, width="stretch")
else:
    st.info("Belum ada akun.")

add, remove = st.columns(2, gap="large")
with add:
    st.subheader("Tambah pengguna")
    role = st.selectbox("Peran", list(accounts.ROLES), format_func=accounts.role_label,
                        key="pengguna_peran")
    rm_ids = accounts.rm_ids()
    with st.form("pengguna_tambah", clear_on_submit=True):
        username = st.text_input("Nama pengguna (huruf kecil, tanpa spasi)")
        name = st.text_input("Nama lengkap")
        rm_id = None
        if role == "rm":
            rm_id = (st.selectbox("Wilayah RM", rm_ids) if rm_ids
                     else st.text_input("Wilayah RM (misalnya RM-01)"))
        password = st.text_input("Kata sandi (minimal 8 karakter)", type="password")
        again = st.text_input("Ulangi kata sandi", type="password")
        if st.form_submit_button("Tambah", type="primary"):
            if password != again:
                st.error("Kata sandi tidak sama.")
            else:
                try:
                    account = accounts.add(username, password, role, name=name or None,
                                           rm_id=rm_id)
                except accounts.UserError as exc:
                    st.error(str(exc))
                else:
                    st.toast(f"Pengguna '{account.username}' ditambahkan.")
                    st.rerun()

with remove:
    st.subheader("Hapus pengguna")
    removable = accounts.removable(listed, user.username)
    if not removable:
        st.caption("Tidak ada akun lokal lain yang dapat dihapus (akun Anda sendiri tidak dapat "
                   "dihapus dari sini).")
    else:
        target = st.selectbox("Pengguna", removable, key="pengguna_hapus_pilih")
        sure = st.checkbox(f"Ya, hapus akun '{target}'", key="pengguna_hapus_yakin")
        if st.button("Hapus", disabled=not sure, key="pengguna_hapus"):
            accounts.remove(target)
            st.toast(f"Pengguna '{target}' dihapus.")
            st.rerun()
