"""Roles: what each one can and cannot reach, through the menu and by typing a page's URL.

Signs in through the real sign-in box (app.py) for each demo role, and opens every page file
directly with each role in the session (what a hand-typed URL amounts to): a page the role may not
see must stop with the access message and show nothing else.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import registry
from dashboard.auth import PUBLIC, User
from tests.support.helpers import REPO, open_page

ACCESS_DENIED = "tidak memiliki akses"
INTERNAL = {"ringkasan", "peta", "target", "sektor", "prioritas", "kualitas"}
USERS = {
    "publik": PUBLIC,
    "rm": User("rm", "RM Demo", "rm", "RM-01"),
    "pimpinan": User("pimpinan", "Pimpinan Demo", "pimpinan"),
    "admin": User("admin", "Admin Demo", "admin"),
}


@pytest.fixture
def live_demo(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    return demo_db


def visible(role: str) -> set[str]:
    return {p.key for p in registry.visible_pages(role)}


def test_menu_per_role():
    assert visible("publik") == {"publik"}
    rm = visible("rm")
    assert {"ringkasan", "peta", "target", "prioritas"} <= rm
    assert not rm & {"kualitas", "unggah", "pengguna"}
    pimpinan = visible("pimpinan")
    assert INTERNAL | {"publik"} <= pimpinan
    assert not pimpinan & {"unggah", "pengguna"}
    assert {"unggah", "pengguna", "publik"} <= visible("admin")


_open = open_page


def _denied(at: AppTest) -> bool:
    return any(ACCESS_DENIED in e.value for e in at.error)


@pytest.mark.parametrize("role", list(USERS))
def test_direct_access_to_every_page(role, live_demo):
    user = USERS[role]
    for spec in registry.PAGES:
        if not spec.exists:
            continue
        at = _open(spec.path, user)
        assert not at.exception, (role, spec.key, at.exception)
        if registry.allowed(role, spec.key):
            assert not _denied(at), (role, spec.key)
        else:
            assert _denied(at), (role, spec.key)
            # Stopped before any content: no tables, charts, titles or downloads.
            assert not at.dataframe and not at.title and not at.metric, (role, spec.key)
            assert not at.get("download_button") and not at.get("plotly_chart")


def test_expired_session_loses_access(live_demo, monkeypatch):
    monkeypatch.setenv("CAKUPAN_SESSION_MINUTES", "5")
    at = AppTest.from_file(str(REPO / "pages" / "kualitas.py"), default_timeout=60)
    at.session_state["cakupan_user"] = USERS["pimpinan"]
    at.session_state["cakupan_last_activity"] = time.time() - 6 * 60
    at.run()
    assert _denied(at)


@pytest.mark.parametrize("username", ["rm", "pimpinan", "admin"])
def test_sign_in_as_each_demo_role(username, live_demo):
    """The password check gives the role; app.py then serves that role's pages. (The sign-in
    box itself is driven in tests/app/test_auth.py and in the browser by tests/e2e.)"""
    from dashboard import auth

    outcome, account = auth.check_login(username, f"{username}-demo", live_demo)
    assert outcome == "ok" and account.role == username
    user = User(account.username, account.name, account.role, account.rm_id)
    if username == "rm":
        assert user.rm_id, "the demo rm has an RM area"
    for spec in registry.PAGES:
        if not spec.exists:
            continue
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.session_state["cakupan_user"] = user
        at.switch_page(spec.path).run()
        assert not at.exception, (username, spec.key, at.exception)
        titles = " ".join(t.value for t in at.title)
        if registry.allowed(username, spec.key):
            assert spec.title.split(" ")[0] in titles, (username, spec.key, titles)
        else:
            # app.py's stand-in for a page the role may not see: its title, a lock notice, no data.
            assert any("hanya untuk staf" in i.value for i in at.info), (username, spec.key)
            assert not at.dataframe and not at.metric, (username, spec.key)


def test_rm_target_page_shows_only_the_rm_area(live_demo):
    from etl import db

    con = db.connect_readonly(live_demo)
    try:
        rms = [r[0] for r in con.execute(
            "SELECT DISTINCT rm_id FROM core.rm_areas ORDER BY 1").fetchall()]
    finally:
        con.close()
    if len(rms) < 2:
        pytest.skip("the demo has fewer than two RM areas")
    mine, other = rms[0], rms[1]
    at = _open("pages/target.py", User("rm", "RM", "rm", mine))
    assert not at.exception
    shown = " ".join(str(x.value) for x in at.caption) + " ".join(
        df.value.to_csv() for df in at.dataframe)
    assert mine in shown
    assert other not in shown


# -- admin pages ------------------------------------------------------------------------------

def test_admin_adds_and_removes_a_user_on_the_page(live_demo):
    from etl import users

    at = _open("pages/admin_pengguna.py", USERS["admin"])
    assert not at.exception
    at.selectbox(key="pengguna_peran").select("rm").run()
    form_inputs = at.text_input
    form_inputs[0].input("sari")
    form_inputs[1].input("Sari Wulandari")
    form_inputs[2].input("sandi-panjang-1")
    form_inputs[3].input("sandi-panjang-1")
    [b for b in at.button if b.label == "Tambah"][0].click()
    at.run()
    assert not at.exception, at.exception
    account = users.load_users()["sari"]
    assert account.role == "rm" and account.rm_id and account.name == "Sari Wulandari"
    assert users.check_password("sandi-panjang-1", account.password_hash)

    assert at.button(key="pengguna_hapus").disabled   # not before confirming
    at.selectbox(key="pengguna_hapus_pilih").select("sari")
    at.checkbox(key="pengguna_hapus_yakin").check().run()
    at.button(key="pengguna_hapus").click()
    at.run()
    assert "sari" not in users.load_users()


def test_upload_runs_the_real_loader_once(tmp_path, monkeypatch):
    from dashboard import uploads
    from tests.support.helpers import row, write_csv

    db_path = tmp_path / "upload.duckdb"
    csv = write_csv(tmp_path / "form.csv", [
        row(), row(nik_="6311044707900002", name="Siti Aisyah", sex="Perempuan",
                   birth="7/7/1990"),
        row(nik_="6.31109E+15", name="Rusak")])
    summary = uploads.load_upload("registrations", "form.csv", csv.read_bytes(),
                                  db_path=db_path)
    assert (summary.rows_read, summary.accepted, summary.quarantined) == (3, 2, 1)
    assert len(uploads.reasons_table(summary)) == 1
    again = uploads.load_upload("registrations", "form.csv", csv.read_bytes(), db_path=db_path)
    assert again.already_loaded
    # One load at a time.
    uploads._BUSY.acquire()
    try:
        with pytest.raises(uploads.Busy):
            uploads.load_upload("registrations", "form.csv", csv.read_bytes(), db_path=db_path)
    finally:
        uploads._BUSY.release()


def test_upload_page_offers_every_loadable_kind(live_demo):
    at = _open("pages/admin_unggah.py", USERS["admin"])
    assert not at.exception
    options = at.selectbox(key="unggah_jenis").options
    assert "Pendaftaran (ekspor formulir Lindungi Prens)" in options
    assert at.button(key="unggah_muat").disabled  # nothing uploaded yet
