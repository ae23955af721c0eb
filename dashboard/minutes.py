"""The minutes (notulen) of a planning meeting as a PDF: the headline figures, the review of the
decisions of earlier meetings still open ("Sejak rapat lalu", measured), and the decisions of this
meeting with owners and due months. Drawn offline with the brief's layout (dashboard.pdf_layout),
small enough for WhatsApp (tens of KB: text and tables, no map). Aggregates by place only: no
NIK, name or phone is in it; owners are RM ids, the Dinas or a desa."""

from __future__ import annotations

import pandas as pd

from etl import decisions, gazetteer, metrics

from . import data, meetings
from .layout import fmt_date, fmt_int, fmt_month, fmt_percent, month_phrase
from .pdf_layout import GREY, Document, cards, safe_text, section, table, title_band

REVIEW_HEADER = ["No.", "Wilayah", "Tindakan", "PJ", "Tempo", "Target", "Aktif", "Naik",
                 "Pembanding", "Bersih", "Status"]
REVIEW_WIDTHS = [7, 36, 24, 14, 15, 12, 20, 10, 16, 11, 0]


def build_pdf(con, meeting_id: int, as_of: str | None = None) -> bytes:
    """The minutes of meeting `meeting_id`, decisions measured at `as_of` (default: the data's
    default month), as PDF bytes."""
    month = metrics.check_month(con, as_of)
    listed = decisions.meetings(con)
    row = listed[listed["meeting_id"] == int(meeting_id)]
    if row.empty:
        raise ValueError(f"Rapat #{meeting_id} tidak ada.")
    meeting = row.iloc[0]
    held_on = pd.Timestamp(meeting["held_on"]).strftime("%Y-%m-%d")
    measured = decisions.measure(con, month)
    review = decisions.under_review(measured, int(meeting_id), held_on)
    new = measured[measured["meeting_id"] == int(meeting_id)]
    kab = gazetteer.kabupaten(metrics.kabupaten_code(con)).name.title()
    through = metrics.provisional_through(con, month)
    data_day = metrics.data_date(con).data_date
    pdf = Document(f"Cakupan · {kab} · notulen rapat {fmt_date(held_on)} · data per "
                   f"{fmt_date(data_day)} · angka agregat per wilayah, tanpa data pribadi")
    pdf.alias_nb_pages()
    pdf.add_page()
    title_band(pdf, f"Notulen rapat perencanaan · {fmt_date(held_on)}",
               f"{kab} · angka {month_phrase(month, through)}"
               + (f" · {meeting['note']}" if isinstance(meeting["note"], str) else ""))
    h = meetings.headline(con, month)
    cards(pdf, [
        ("Pekerja terlindungi (aktif)", fmt_int(h["active"]),
         f"cakupan {fmt_percent(h['coverage_pct'])}"),
        ("Estimasi pekerja rentan", fmt_int(h["estimated"]), "dalam sasaran"),
        ("Belum terlindungi", fmt_int(h["gap"]), "orang (kesenjangan)"),
        ("Keputusan dievaluasi", fmt_int(len(review)),
         ", ".join(f"{n} {label}" for label, n in meetings.status_counts(review).items() if n)
         or "-"),
    ])
    section(pdf, "Sejak rapat lalu: keputusan sebelumnya",
            "Aktif: saat keputusan -> sekarang. Pembanding: rata-rata kenaikan wilayah serupa "
            "tanpa keputusan pada bulan yang sama, supaya kenaikan di mana-mana tidak dihitung "
            "sebagai hasil tindakan. Bersih = kenaikan - pembanding.")
    _decision_table(pdf, review, measured=True)
    section(pdf, f"Keputusan rapat ini ({len(new)})",
            "Diukur pada rapat berikutnya dengan cara yang sama.")
    _decision_table(pdf, new, measured=False)
    pdf.ln(2)
    pdf.text_font(7.5, color=GREY)
    pdf.multi_cell(0, 4, safe_text(pdf, "Status: tercapai (bersih >= target), sesuai jadwal "
                                        "(bersih sebanding dengan waktu yang berlalu), terlambat "
                                        "(lewat jatuh tempo, belum tercapai), belum berdampak."),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _owner(r) -> str:
    """The owner in a few letters: the RM id, the Dinas, or the desa's name."""
    if r.owner_kind == "desa":
        return str(r.owner_label).removeprefix("Desa ")[:12]
    return str(r.owner)[:12]


def _decision_table(pdf: Document, frame: pd.DataFrame, measured: bool) -> None:
    if frame.empty:
        pdf.text_font(9, color=GREY)
        pdf.cell(0, 6, safe_text(pdf, "Tidak ada."), new_x="LMARGIN", new_y="NEXT")
        return
    rows = []
    for r in frame.itertuples():
        place = meetings.place_label(r)
        if isinstance(r.sector, str):
            place += f" · {r.sector}"
        base = [str(r.decision_id), place[:27], str(r.action_label)[:17],
                _owner(r), fmt_month(r.due_month)[:3] + " " + r.due_month[:4],
                f"+{fmt_int(r.expected_gain)}"]
        if measured:
            base += [f"{fmt_int(r.active_base)}->{fmt_int(r.active_now)}",
                     meetings.fmt_signed(r.gain),
                     "-" if pd.isna(r.comparison_gain) else meetings.fmt_decimal(r.comparison_gain),
                     meetings.fmt_decimal(r.net_gain),
                     decisions.STATUS_LABELS[r.status]]
        else:
            base += [str(r.detail)[:60] if isinstance(r.detail, str) else ""]
        rows.append(base)
    if measured:
        header, widths = REVIEW_HEADER, REVIEW_WIDTHS[:-1] + [pdf.epw - sum(REVIEW_WIDTHS[:-1])]
        table(pdf, 14, header, rows, widths, size=7)
    else:
        header = REVIEW_HEADER[:6] + ["Catatan"]
        widths = REVIEW_WIDTHS[:6] + [pdf.epw - sum(REVIEW_WIDTHS[:6])]
        table(pdf, 14, header, rows, widths, size=7, wrap_last=True)


def download_button(meeting_id: int, as_of: str) -> None:
    """The "download the minutes" button: the PDF is made when clicked, on Streamlit's download
    thread with its own read-only connection (as the brief, dashboard.brief_download)."""
    import streamlit as st

    path = str(data.db_path())

    def make() -> bytes:
        return data.run_alone(build_pdf, meeting_id, as_of, path=path)

    st.download_button("Unduh notulen PDF", data=make, file_name=f"notulen_rapat_{meeting_id}.pdf",
                       mime="application/pdf", key="notulen_pdf",
                       icon=":material/picture_as_pdf:",
                       help="Notulen rapat: angka utama, evaluasi keputusan sebelumnya dan "
                            "keputusan rapat ini dengan penanggung jawab dan jatuh temponya.")
