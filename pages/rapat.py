"""Rapat: the planning loop (layout only; data and writes in dashboard.meetings, figures in
etl.decisions). A meeting opens with "Sejak rapat lalu", the decisions of earlier meetings still
open with their measured gain against comparison places; decisions are recorded during the
meeting, pre-filled from Prioritas, Sektor or the budget simulator; the minutes are a PDF.
pimpinan writes, the admin reads."""

from dashboard import registry

user = registry.require("rapat")

import datetime as dt  # noqa: E402

import streamlit as st  # noqa: E402

from dashboard import data, filters, layout, meetings, minutes, status  # noqa: E402
from dashboard.layout import fmt_date, fmt_int, fmt_month, fmt_percent  # noqa: E402

latest = status.require_months()
f = filters.current()
as_of = f.as_of or latest
writer = meetings.can_write(user)

st.title("Rapat perencanaan")
through = status.provisional_banner(as_of)
st.caption(f"{filters.kabupaten_label()} · keputusan diukur pada "
           f"{layout.month_phrase(as_of, through)}"
           + ("" if writer else " · hanya baca (pimpinan yang mencatat keputusan)"))

listed = data.query(meetings.meeting_list)
if writer:
    with st.expander("Buka rapat baru", expanded=listed.empty, icon=":material/add:"):
        with st.form("rapat_baru"):
            c1, c2 = st.columns([1, 3])
            held_on = c1.date_input("Tanggal rapat", value=dt.date.today(), format="DD/MM/YYYY")
            note = c2.text_input("Catatan", placeholder="mis. Rapat koordinasi cakupan triwulan IV")
            if st.form_submit_button("Buka rapat", type="primary"):
                new_id = meetings.open_meeting(user, held_on, note, as_of)
                st.session_state["rapat_dipilih"] = new_id
                st.rerun()
if listed.empty:
    st.info("Belum ada rapat. " + ("Buka rapat baru di atas." if writer else
                                   "Pimpinan membuka rapat dan mencatat keputusannya."),
            icon=":material/info:")
    st.stop()

labels = {int(r.meeting_id): f"{fmt_date(r.held_on)} · {r.note or 'tanpa catatan'} "
                             f"({r.decisions} keputusan)" for r in listed.itertuples()}
ids = list(labels)
chosen = st.session_state.get("rapat_dipilih")
meeting_id = st.selectbox("Rapat", ids, index=ids.index(chosen) if chosen in ids else 0,
                          format_func=labels.get, key="rapat_pilihan")
meeting = listed[listed["meeting_id"] == meeting_id].iloc[0]
held_on = str(meeting["held_on"])[:10]

measured = data.query(meetings.measured, as_of)
review = meetings.under_review(measured, meeting_id, held_on)
mine = measured[measured["meeting_id"] == meeting_id]

h = data.query(meetings.headline, as_of)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Pekerja terlindungi (aktif)", fmt_int(h["active"]),
          delta=f"cakupan {fmt_percent(h['coverage_pct'])}", delta_color="off", delta_arrow="off")
c2.metric("Belum terlindungi", fmt_int(h["gap"]), delta="orang (kesenjangan)",
          delta_color="off", delta_arrow="off")
counts = meetings.status_counts(review)
c3.metric("Keputusan dievaluasi", fmt_int(len(review)),
          delta=", ".join(f"{n} {k}" for k, n in counts.items() if n) or None,
          delta_color="off", delta_arrow="off")
c4.metric("Keputusan rapat ini", fmt_int(len(mine)),
          delta=f"data {fmt_month(meeting['data_month'])}",
          delta_color="off", delta_arrow="off")

st.subheader("Sejak rapat lalu")
st.caption("Keputusan rapat-rapat sebelumnya yang masih berjalan. Aktif diukur dengan definisi "
           "yang sama dengan dasbor (ekspor cakupan). Pembanding: rata-rata kenaikan desa "
           "sekategori prioritas tanpa keputusan (atau desa sekecamatan bila kurang dari "
           "batasnya, atau kecamatan lain) pada bulan yang sama, supaya kenaikan di mana-mana "
           "tidak dihitung sebagai hasil tindakan. Bersih = kenaikan - pembanding.")
if review.empty:
    st.info("Tidak ada keputusan sebelumnya yang masih berjalan.", icon=":material/info:")
else:
    for r in review.itertuples():
        st.markdown(meetings.summary_line(r))
    shown = meetings.display_table(review)
    layout.table(shown, hide_index=True, width="stretch")
    layout.download_buttons(shown, layout.file_stem(f"evaluasi_keputusan_{held_on}", through),
                            key="rapat_evaluasi")
    still = review[review["state"] == "open"]
    if writer and not still.empty:
        with st.form("rapat_tindak_lanjut"):
            st.markdown("**Tutup atau lanjutkan keputusan**")
            c1, c2, c3 = st.columns([3, 1, 1])
            pick = c1.selectbox("Keputusan", list(still["decision_id"]),
                                format_func=lambda i: meetings.review_label(still, i))
            due = c2.selectbox("Jatuh tempo baru (bila dilanjutkan)",
                               meetings.due_months(as_of), index=2, format_func=fmt_month)
            choice = c3.radio("Tindakan", ["Tutup", "Lanjutkan ke rapat ini"])
            if st.form_submit_button("Simpan"):
                try:
                    if choice == "Tutup":
                        meetings.close(meeting_id, int(pick))
                    else:
                        meetings.carry_over(meeting_id, int(pick), due)
                    st.rerun()
                except meetings.DecisionError as exc:
                    st.error(str(exc))

st.subheader(f"Keputusan rapat ini ({len(mine)})")
if mine.empty:
    st.caption("Belum ada keputusan yang dicatat untuk rapat ini.")
else:
    for r in mine.itertuples():
        st.markdown(meetings.summary_line(r))
    layout.table(meetings.display_table(mine, with_meeting=False), hide_index=True,
                 width="stretch")

if writer:
    st.subheader("Catat keputusan")
    draft = st.session_state.get(meetings.PREFILL_KEY) or {}
    if draft:
        st.info(f"Diisi dari pembahasan: {draft.get('detail', '')}", icon=":material/edit_note:")
    place_names = data.query(meetings.places)
    codes = list(place_names)
    rm_names = data.query(meetings.rm_choices)
    months = meetings.due_months(as_of)
    with st.form("rapat_keputusan", clear_on_submit=True):
        c1, c2 = st.columns([3, 2])
        place = c1.selectbox("Wilayah", codes, format_func=place_names.get,
                             index=codes.index(draft["place_code"])
                             if draft.get("place_code") in codes else 0)
        sectors = [""] + list(meetings.SECTOR_LABELS)
        sector = c2.selectbox("Sektor (opsional)", sectors,
                              index=sectors.index(draft.get("sector") or ""),
                              format_func=lambda s: meetings.SECTOR_LABELS.get(s, "semua sektor"))
        actions = list(meetings.ACTIONS)
        action = c1.selectbox("Tindakan", actions, format_func=meetings.ACTIONS.get,
                              index=actions.index(draft.get("action", "sosialisasi")))
        kinds = list(meetings.OWNER_KINDS)
        owner_kind = c2.radio("Penanggung jawab", kinds, horizontal=True,
                              format_func=meetings.OWNER_KINDS.get,
                              index=kinds.index(draft.get("owner_kind") or meetings.default_owner(
                                  draft.get("place_code"), rm_names)))
        rms = list(rm_names) or [""]
        rm = c2.selectbox("RM (bila penanggung jawab RM)", rms,
                          format_func=lambda r: rm_names.get(r, r),
                          index=rms.index(draft["owner"]) if draft.get("owner") in rms else 0)
        due = c1.selectbox("Jatuh tempo", months, format_func=fmt_month,
                           index=months.index(draft["due_month"])
                           if draft.get("due_month") in months else 2)
        expected = c1.number_input("Tambahan peserta aktif yang diharapkan", min_value=1,
                                   value=int(draft.get("expected_gain", 10)), step=1)
        detail = st.text_input("Catatan", value=draft.get("detail", ""))
        if st.form_submit_button("Catat keputusan", type="primary"):
            try:
                new_id = meetings.record(user, meeting_id, meetings.draft(
                    place, sector, action, owner_kind, rm, due, expected, detail))
                st.session_state.pop(meetings.PREFILL_KEY, None)
                st.session_state["rapat_tercatat"] = new_id
                st.rerun()
            except meetings.DecisionError as exc:
                st.error(str(exc))
    if st.session_state.get("rapat_tercatat"):
        st.success(f"Keputusan #{st.session_state.pop('rapat_tercatat')} tercatat.",
                   icon=":material/check_circle:")

st.divider()
minutes.download_button(meeting_id, as_of)
if f.kecamatan or f.sector:
    st.caption("Filter kecamatan dan sektor tidak berlaku di halaman ini: setiap keputusan "
               "diukur untuk wilayah dan sektornya sendiri.")
