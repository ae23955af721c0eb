"""The fixed sector list and the mapping from free-text occupation to a sector.

The form's PEKERJAAN is free text ("petani karet", "Noreh", "ojol", "buruh bangunan"). It is
mapped by keywords, once per distinct text, and the original text is always kept beside the
sector. Keywords are whole words after normalisation. Indonesian puts the head noun first
("pedagang sayur" is a trader of vegetables, "petani karet" a rubber farmer), so the keyword that
starts earliest wins, a longer phrase winning a tie ("buruh tani", a farm labourer, is farming).
"""

from __future__ import annotations

import re
import unicodedata

# code -> (Indonesian label, keywords). Order matters: first sector with a keyword wins.
SECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pertanian": ("Pertanian & perkebunan", (
        "petani", "tani", "pekebun", "kebun", "karet", "noreh", "menoreh", "penyadap", "sadap",
        "sawah", "padi", "sawit", "ladang", "berladang", "pertanian", "perkebunan", "kelapa",
        "sayur", "hortikultura", "tanam", "buruh tani", "buruh kebun", "buruh sawit",
        "buruh karet", "buruh sawah")),
    "perikanan": ("Perikanan", (
        "nelayan", "ikan", "perikanan", "tambak", "keramba", "karamba", "pembudidaya", "jala",
        "pancing", "memancing")),
    "peternakan": ("Peternakan", (
        "peternak", "ternak", "peternakan", "sapi", "kambing", "ayam", "itik", "bebek", "kerbau")),
    "perdagangan": ("Perdagangan", (
        "pedagang", "dagang", "berdagang", "jualan", "berjualan", "penjual", "warung", "toko",
        "kios", "pengecer", "pasar", "wiraswasta", "wirausaha", "umkm", "kaki lima", "pkl")),
    "transportasi": ("Transportasi", (
        "ojek", "ojol", "ojek online", "sopir", "supir", "driver", "pengemudi", "angkot", "becak",
        "kurir", "taksi", "motoris", "kelotok", "klotok", "transportasi", "gojek", "grab",
        "maxim")),
    "konstruksi": ("Konstruksi & buruh harian", (
        "buruh", "kuli", "tukang", "bangunan", "konstruksi", "harian", "lepas", "serabutan",
        "pekerja lepas", "tambang", "penambang", "galian", "batu bara", "batubara")),
    "pekerja_rumah_tangga": ("Pekerja rumah tangga", (
        "prt", "pembantu", "asisten rumah tangga", "art", "pengasuh", "babysitter")),
    "kerajinan": ("Kerajinan & industri rumahan", (
        "pengrajin", "perajin", "kerajinan", "anyaman", "menganyam", "penjahit", "jahit",
        "industri rumah", "home industri", "home industry", "kue", "pembuat", "produksi")),
    "jasa": ("Jasa", (
        "jasa", "montir", "bengkel", "salon", "pangkas", "cukur", "tukang cukur", "laundry",
        "penatu", "honorer", "guru ngaji", "marbot", "kader", "posyandu", "satpam", "penjaga",
        "cleaning", "tenaga", "relawan", "imam", "bidan kampung", "dukun beranak", "pemandu")),
    "lainnya": ("Lainnya", ()),
}

SECTOR_LABELS: dict[str, str] = {code: label for code, (label, _) in SECTORS.items()}

_KEYWORDS = [(kw, code) for code, (_, kws) in SECTORS.items() for kw in kws]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def sector_of(occupation: object) -> str:
    """The sector code of a free-text occupation; 'lainnya' when nothing matches or it is empty."""
    if occupation is None:
        return "lainnya"
    text = _normalise(str(occupation))
    best: tuple[int, int, str] | None = None  # (position, -length, sector)
    for keyword, code in _KEYWORDS:
        at = text.find(f" {keyword} ")
        if at >= 0 and (best is None or (at, -len(keyword)) < best[:2]):
            best = (at, -len(keyword), code)
    return best[2] if best else "lainnya"


def sector_code(value: object) -> str | None:
    """A sector given by code or label in a targets/denominators file, or None if unknown."""
    if value is None:
        return None
    key = _normalise(str(value)).strip()
    if not key:
        return None
    for code, (label, _) in SECTORS.items():
        if key in (code.replace("_", " "), _normalise(label).strip(), code):
            return code
    # "pertanian dan perkebunan", "Perikanan (sungai)": first word decides.
    first = key.split()[0]
    for code in SECTORS:
        if code.split("_")[0] == first:
            return code
    guess = sector_of(value)
    return guess if guess != "lainnya" or first in ("lainnya", "lain") else None
