"""The fixed sector list and the mapping from free-text occupation to a sector.

The form's PEKERJAAN is free text ("petani karet", "Noreh", "ojol", "buruh bangunan", "Tukang
ojek"). It is mapped by keywords, once per distinct text, and the original text is always kept
beside the sector. The keywords live in a data file, not in code: etl/sector_keywords.toml (the
defaults, covering the Dukcapil occupation list printed on the KTP) plus an office's own
<config dir>/sector_keywords.toml, which adds keywords or moves one to another sector (see the
comments of the defaults file and the README).

How a text is read: normalised (lower case, ASCII, punctuation to spaces), then scanned word by
word, the longest keyword phrase at each word winning. Indonesian puts the head noun first
("pedagang sayur" sells vegetables, "petani karet" farms rubber), so the first keyword decides,
except a GENERIC head (tukang, buruh, pekerja, usaha, jasa, ...), which is decided by the first
keyword after it: "tukang ojek" is transport, "tukang batu" construction, "tukang jahit" crafts,
"tukang cukur" services, "buruh tani" farming; a generic head with nothing known after it takes
its own default sector. A word of 5 letters or more that matches no keyword is compared with the
keywords by edit distance (rapidfuzz, score >= 88): "pedagan" is "pedagang".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULTS_FILE = Path(__file__).resolve().parent / "sector_keywords.toml"
OFFICE_FILE_NAME = "sector_keywords.toml"
FUZZY_MIN_SCORE = 88
FUZZY_MIN_LENGTH = 5

# The fixed sector list (docs/rules.md §3): code -> Indonesian label. Labels are not configurable.
SECTOR_LABELS: dict[str, str] = {
    "pertanian": "Pertanian & perkebunan",
    "perikanan": "Perikanan",
    "peternakan": "Peternakan",
    "perdagangan": "Perdagangan",
    "transportasi": "Transportasi",
    "konstruksi": "Konstruksi & buruh harian",
    "pekerja_rumah_tangga": "Pekerja rumah tangga",
    "kerajinan": "Kerajinan & industri rumahan",
    "jasa": "Jasa",
    "lainnya": "Lainnya",
}


class KeywordFileError(ValueError):
    """A keyword file that cannot be used (says which file and what is wrong)."""


@dataclass(frozen=True)
class Match:
    sector: str
    keyword: str | None      # the keyword that decided; None: nothing matched (unmapped)

    @property
    def mapped(self) -> bool:
        return self.keyword is not None


@dataclass(frozen=True)
class Keywords:
    phrases: dict[str, str]          # keyword phrase -> sector
    generic: dict[str, str]          # generic head -> its default sector
    by_first: dict[str, tuple[str, ...]]  # first word -> phrases starting with it, longest first
    singles: tuple[str, ...]         # one-word keywords a misspelt word is compared with


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _read(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KeywordFileError(f"Berkas kata kunci sektor {path} tidak dapat dibaca: {exc}") \
            from None
    phrases, generic = {}, {}
    for code, section in (data.get("sectors") or {}).items():
        if code not in SECTOR_LABELS:
            raise KeywordFileError(f"{path}: sektor '{code}' tidak dikenal. Pilihan: "
                                   f"{', '.join(SECTOR_LABELS)}.")
        for keyword in section.get("keywords", []):
            key = _normalise(str(keyword))
            if key:
                phrases[key] = code
    for head, code in (data.get("generic") or {}).items():
        if code not in SECTOR_LABELS:
            raise KeywordFileError(f"{path}: kata umum '{head}' menunjuk sektor '{code}' yang "
                                   "tidak dikenal.")
        generic[_normalise(head)] = code
    return phrases, generic


def office_file() -> Path:
    from . import settings

    return settings.config_dir() / OFFICE_FILE_NAME


def keywords() -> Keywords:
    """The defaults merged with the office's file (when it exists), cached per file version."""
    path = office_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _keywords(str(path), stamp)


@lru_cache(maxsize=4)
def _keywords(office_path: str, stamp) -> Keywords:
    phrases, generic = _read(DEFAULTS_FILE)
    if stamp is not None:
        more, more_generic = _read(Path(office_path))
        phrases.update(more)          # an office keyword moves a default one
        generic.update(more_generic)
    for head in generic:
        phrases.pop(head, None)       # a head is decided by what follows, never by itself
    by_first: dict[str, list[str]] = {}
    for phrase in [*phrases, *generic]:
        by_first.setdefault(phrase.split()[0], []).append(phrase)
    ordered = {w: tuple(sorted(p, key=lambda x: -len(x.split()))) for w, p in by_first.items()}
    singles = tuple(k for k in [*phrases, *generic] if " " not in k and len(k) >= 4)
    return Keywords(phrases, generic, ordered, singles)


def version(kw: Keywords) -> str:
    """A fingerprint of the keywords in force (a change re-maps every text)."""
    import hashlib
    import json

    text = json.dumps([sorted(kw.phrases.items()), sorted(kw.generic.items()),
                       FUZZY_MIN_SCORE, FUZZY_MIN_LENGTH])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _fuzzy_word(word: str, kw: Keywords) -> str | None:
    """The single-word keyword a misspelt word most likely is (None when none is close)."""
    if len(word) < FUZZY_MIN_LENGTH or word.isdigit():
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, kw.singles, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
    return best[0] if best else None


def _scan(words: list[str], kw: Keywords) -> list[str]:
    """The keywords of a text, in order (longest phrase at each word; fuzzy for lone words)."""
    found, i = [], 0
    while i < len(words):
        hit = None
        for phrase in kw.by_first.get(words[i], ()):
            size = len(phrase.split())
            if words[i:i + size] == phrase.split():
                hit = phrase
                break
        if hit is None:
            guess = _fuzzy_word(words[i], kw)
            if guess is not None:
                found.append(guess)
            i += 1
            continue
        found.append(hit)
        i += len(hit.split())
    return found


def match(occupation: object, kw: Keywords | None = None) -> Match:
    """The sector of a free-text occupation and the keyword that decided it."""
    kw = kw or keywords()
    if occupation is None:
        return Match("lainnya", None)
    words = _normalise(str(occupation)).split()
    found = _scan(words, kw)
    for i, keyword in enumerate(found):
        if keyword in kw.generic:
            # A generic head: the first specific keyword after it decides.
            after = next((k for k in found[i + 1:] if k not in kw.generic), None)
            if after is not None:
                return Match(kw.phrases[after], f"{keyword} … {after}")
            return Match(kw.generic[keyword], keyword)
        return Match(kw.phrases[keyword], keyword)
    return Match("lainnya", None)


def sector_of(occupation: object) -> str:
    """The sector code of a free-text occupation; 'lainnya' when nothing matches or it is empty."""
    return match(occupation).sector


def sector_code(value: object) -> str | None:
    """A sector given by code or label in a targets/denominators file, or None if unknown."""
    if value is None:
        return None
    key = _normalise(str(value))
    if not key:
        return None
    for code, label in SECTOR_LABELS.items():
        if key in (code.replace("_", " "), _normalise(label), code):
            return code
    # "pertanian dan perkebunan", "Perikanan (sungai)": first word decides.
    first = key.split()[0]
    for code in SECTOR_LABELS:
        if code.split("_")[0] == first:
            return code
    guess = sector_of(value)
    return guess if guess != "lainnya" or first in ("lainnya", "lain") else None
