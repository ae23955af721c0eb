"""Pengguna (admin): list, add and remove dashboard accounts (etl.users). Layout only."""

from dashboard import registry

user = registry.require("pengguna")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl import settings, users  # noqa: E402

db_path = settings.get("db")
st.title("Pengguna")
st.caption(f"Akun disimpan di {users.users_path()} (di luar repositori, kata sandi sebagai hash "
           "bcrypt). Sama dengan perintah `python -m etl users add|list|remove`.")

listed = users.list_users()
demo = users.demo_accounts(db_path)
rows = [{"Nama pengguna": u["username"], "Nama": u["name"],
         "Peran": users.ROLE_LABELS[u["role"]], "Wilayah RM": u["rm_id"] or "",
         "Jenis": "akun lokal"} for u in listed]
rows += [{"Nama pengguna": a.username, "Nama": a.name, "Peran": users.ROLE_LABELS[a.role],
          "Wilayah RM": a.rm_id or "", "Jenis": "demo (hanya basis data demo)"}
         for a in demo.values() if a.username not in {u["username"] for u in listed}]
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
else:
    st.info("Belum ada akun.")

add, remove = st.columns(2, gap="large")
with add:
    st.subheader("Tambah pengguna")
    role = st.selectbox("Peran", list(users.ROLES), format_func=users.ROLE_LABELS.get,
                        key="pengguna_peran")
    rm_ids = users.known_rm_ids(db_path)
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
                    account = users.add_user(username, password, role, name=name or None,
                                             rm_id=rm_id)
                except users.UserError as exc:
                    st.error(str(exc))
                else:
                    st.toast(f"Pengguna '{account.username}' ditambahkan.")
                    st.rerun()

with remove:
    st.subheader("Hapus pengguna")
    removable = [u["username"] for u in listed if u["username"] != user.username]
    if not removable:
        st.caption("Tidak ada akun lokal lain yang dapat dihapus (akun Anda sendiri tidak dapat "
                   "dihapus dari sini).")
    else:
        target = st.selectbox("Pengguna", removable, key="pengguna_hapus_pilih")
        sure = st.checkbox(f"Ya, hapus akun '{target}'", key="pengguna_hapus_yakin")
        if st.button("Hapus", disabled=not sure, key="pengguna_hapus"):
            users.remove_user(target)
            st.toast(f"Pengguna '{target}' dihapus.")
            st.rerun()
