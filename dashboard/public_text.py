"""The words of the public figures: the four headline cards (as the page, the static site and the
share image print them) and the methodology note (Indonesian prose, also in the data
dictionary and the data package)."""

from __future__ import annotations

from dataclasses import dataclass

from . import disclosure, public
from .layout import fmt_int, fmt_juta, fmt_month, fmt_percent, fmt_rupiah


def juta(value) -> str:
    """Rupiah in whole millions for the headline cards ('569' for Rp568.562.400); the tables
    and downloads keep full rupiah."""
    return fmt_juta(value, missing=disclosure.SUPPRESSED)


@dataclass
class Card:
    label: str
    value: str
    note: str | None = None          # the line under the value
    detail: str | None = None        # the full figure (help text)


def headline_cards(data: public.PublicData) -> list[Card]:
    """The four headline figures as the page, the static site and the share image print them."""
    h = data.headline

    def num(value) -> str:
        return disclosure.SUPPRESSED if value is None else fmt_int(value)

    coverage = None
    if h.get("cakupan_persen") is not None:
        coverage = (f"cakupan {fmt_percent(h['cakupan_persen'])} dari "
                    f"{fmt_int(h['estimasi_pekerja'])}")
    attained = None
    if h.get("capaian_target_persen") is not None:
        attained = f"tercapai {fmt_percent(h['capaian_target_persen'])}"
    return [
        Card("Pekerja terlindungi", num(h.get("peserta_aktif")), coverage),
        Card(f"Target {data.year}",
             fmt_int(h["target_tahun"]) if h.get("target_tahun") else "belum ada", attained),
        Card(f"Premi publik {data.year}", juta(h.get("premi_publik_tahun_ini_rp")),
             "juta Rp · APBD + APBDes",
             f"{fmt_rupiah(h.get('premi_publik_tahun_ini_rp'))}, Januari s.d. "
             f"{fmt_month(data.as_of)}; lihat Metodologi."),
        Card("Manfaat dibayar", juta(h.get("nilai_klaim_rp")),
             f"juta Rp · {num(h.get('jumlah_klaim'))} klaim JKM/JKK",
             f"{fmt_rupiah(h.get('nilai_klaim_rp'))} sejak awal program."),
    ]


def methodology(data: public.PublicData) -> list[str]:
    """The methodology note, one paragraph per item (Indonesian)."""
    premium = fmt_rupiah(data.premium)
    sources = "; ".join(data.sources) if data.sources else "belum dimuat"
    return [
        f"Data per tanggal {data.data_date or '-'} (bulan data {data.as_of or '-'}; dimuat "
        f"{data.loaded_at or '-'}).",
        "Pekerja terlindungi (peserta aktif): pekerja rentan yang terdaftar sebagai peserta BPJS "
        "Ketenagakerjaan (Bukan Penerima Upah) dan iurannya terbayar untuk bulan data. Sumber: "
        "pendaftaran Lindungi Prens, hasil verifikasi, dan ekspor kepesertaan BPJS "
        "Ketenagakerjaan.",
        "Cakupan = peserta aktif / estimasi pekerja rentan dalam sasaran x 100. Sumber estimasi: "
        f"{sources}." + (f" {data.estimate_note}" if data.estimate_note else ""),
        f"Premi yang dibayar adalah perkiraan: bulan kepesertaan yang terbayar (dari bulan "
        f"pendaftaran sampai bulan terakhir yang dibayar, paling jauh bulan data) x premi "
        f"{premium} per pekerja per bulan (JKK + JKM, kelas iuran BPU terendah). Iuran yang "
        "dibayar di muka setelah bulan data tidak dihitung. APBD dan APBDes adalah uang publik.",
        "Manfaat yang dibayarkan: klaim JKM (kematian) dan JKK (kecelakaan kerja) menurut data "
        "klaim BPJS Ketenagakerjaan, hanya pada tingkat kabupaten.",
        f"Pengendalian pengungkapan statistik: angka di bawah {data.threshold} orang (kecuali 0) "
        f"disamarkan (tanda '{disclosure.SUPPRESSED}'), dan sel lain ikut disamarkan bila angka "
        "tersamar dapat dihitung kembali dari jumlah baris atau kolom. Angka 0 ditampilkan: "
        "artinya belum ada pekerja terlindungi di kelompok itu, bukan data tentang seseorang. "
        "Persentase dan rupiah disamarkan bila jumlah orangnya disamarkan.",
        "Halaman ini hanya memuat angka agregat: tidak ada NIK, nomor KK, nama, nomor telepon, "
        "tanggal lahir, atau alamat.",
    ]
