"""The demo's calibration: the figures and mixes the generated world is tuned to.

Public reports on Balangan (docs/rules.md §5a): about 25,000 workers protected in 2023, 41,000 by
April 2024, 62,000 by October 2025 (96% of members active) against a target of 64,000, about
74,000 in scope; rubber and rice farming dominate; 44 JKM death benefits of Rp42 juta by June
2024. Population weights by kecamatan come from the 2010 census for Balangan; any other
kabupaten is sized from its desa count. Also the texts people type (occupations, names) and the
form's headers. Constants only: changing one changes the demo's figures.
"""

from __future__ import annotations

import datetime as dt

BALANGAN = "63.11"
# 2010 census population by kecamatan (docs/rules.md §5a): the demo's weights for Balangan.
CENSUS_2010 = {
    "63.11": {"63.11.01": 15695, "63.11.02": 18612, "63.11.03": 12048, "63.11.04": 16129,
              "63.11.05": 15748, "63.11.06": 16844, "63.11.07": 11436, "63.11.08": 5918},
}
IN_SCOPE_BALANGAN = 74_000          # workers in scope (about 12,000 still uncovered in Oct 2025)
BALANGAN_DESA = 157                 # other kabupaten: IN_SCOPE_BALANGAN / 157 workers per desa

# Unique form registrants with valid data, cumulative, for Balangan at scale 1. Chosen so that
# enrolments (a few weeks later, after funnel losses) reach the public figures: ~25,000 by the
# end of 2023, ~41,000 by April 2024, ~64,500 members / ~62,000 active by October 2025.
REGISTRATION_ANCHORS = [
    (dt.date(2023, 1, 16), 0),
    (dt.date(2023, 3, 31), 7_000),
    (dt.date(2023, 12, 31), 29_400),
    (dt.date(2024, 4, 30), 48_400),
    (dt.date(2025, 10, 31), 69_500),
    (dt.date(2026, 11, 22), 71_300),
]
TARGETS_KABUPATEN = {2023: 30_000, 2024: 50_000, 2025: 64_000, 2026: 68_000}
JKM_BY_JUNE_2024 = 44               # heirs paid Rp42 juta each by June 2024
JKM_AMOUNT = 42_000_000

# Funnel (probabilities per registrant) and membership.
P_NEVER_VERIFIED = 0.025            # stuck: nobody ever decided
P_REJECTED = 0.04
P_REVERIFIED = 0.4                  # of rejections for document reasons: fixed and verified later
P_NOT_ENROLLED = 0.015              # verified, documents never reached the desa office
OTHER_CHANNEL_SHARE = 0.04          # members who never registered through the form
FUNDING = (("APBD", 0.86, 0.0012), ("APBDES", 0.10, 0.004), ("CSR", 0.02, 0.01),
           ("MANDIRI", 0.02, 0.03))  # (source, share of form members, lapse hazard per month)
OTHER_FUNDING = (("MANDIRI", 0.45, 0.03), ("CSR", 0.30, 0.01), ("APBDES", 0.25, 0.004))

# The spread real data has (the demo must show what the product is for): uptake per desa is a
# product of reach factors, normalised away by the fixed number of registrants, so the public
# totals stay calibrated while places differ. Remote desa are reached less, kelurahan more; one
# kecamatan (the last by code: Tebing Tinggi in Balangan, the most remote) clearly lags. In a few
# desa (half of them remote, half reached beyond their estimate) the APBDes stopped paying
# premiums some months before the reference date: their APBDes-funded members lapse together.
REMOTE_SHARE = 0.3                  # of the desa (never a kelurahan)
REMOTE_REACH = 0.7
KELURAHAN_REACH = 1.08
LAGGING_KECAMATAN_REACH = 0.65
OVER_ESTIMATE_SHARE = 0.04          # desa reached beyond their estimate (an old denominator)
APBDES_STOP_SHARE = 0.04            # of the desa
APBDES_STOP_MONTHS_AGO = 5          # the first month not paid, before the reference month
APBDES_STOP_FUNDING_SHARE = 0.35    # of the members of such a desa, before the stop

# Sector mix of registrants (desa); kelurahan are more urban. Denominators over-weight the sectors
# the programme reaches badly, so the dashboard has under-reached sectors to show.
SECTOR_MIX = {"pertanian": 0.60, "perdagangan": 0.10, "konstruksi": 0.09, "transportasi": 0.05,
              "perikanan": 0.03, "peternakan": 0.02, "pekerja_rumah_tangga": 0.02,
              "kerajinan": 0.025, "jasa": 0.035, "lainnya": 0.03}
URBAN_FACTOR = {"pertanian": 0.35, "perdagangan": 2.5, "transportasi": 2.0, "jasa": 2.0,
                "pekerja_rumah_tangga": 1.5}
UNDER_REACH = {"perikanan": 1.9, "transportasi": 1.5, "pekerja_rumah_tangga": 1.8,
               "konstruksi": 1.2}
DENOMINATOR_SECTORS = ("pertanian", "perdagangan", "konstruksi", "transportasi", "perikanan")
WOMEN_SHARE = {"pertanian": 0.3, "perdagangan": 0.55, "konstruksi": 0.05, "transportasi": 0.03,
               "perikanan": 0.1, "peternakan": 0.25, "pekerja_rumah_tangga": 0.95,
               "kerajinan": 0.8, "jasa": 0.45, "lainnya": 0.5}
OCCUPATIONS = {  # free text as people type it, with relative frequency
    "pertanian": [("Petani karet", 20), ("PETANI KARET", 6), ("noreh", 5), ("Menoreh getah", 3),
                  ("Penyadap karet", 4), ("petani", 8), ("Tani", 3), ("Petani sawah", 9),
                  ("petani padi", 4), ("Buruh tani", 4), ("Pekebun", 3), ("petani/pekebun", 2),
                  ("berkebun karet", 2), ("petani sayur", 1), ("Buruh sawit", 1)],
    "perdagangan": [("Pedagang", 8), ("pedagang", 4), ("Jualan kue", 2), ("Warung", 3),
                    ("Wiraswasta", 4), ("pedagang pasar", 2), ("Berjualan", 2), ("PKL", 1)],
    "konstruksi": [("Buruh bangunan", 6), ("buruh harian lepas", 5), ("Tukang kayu", 2),
                   ("Kuli angkut", 2), ("serabutan", 2), ("Buruh tambang", 1),
                   ("Penambang pasir", 1)],
    "transportasi": [("Ojek", 4), ("Tukang ojek", 3), ("ojol", 1), ("Sopir", 3),
                     ("Motoris kelotok", 1)],
    "perikanan": [("Nelayan sungai", 4), ("nelayan", 3), ("Pembudidaya ikan", 2),
                  ("pencari ikan", 2)],
    "peternakan": [("Peternak sapi", 2), ("peternak ayam", 1), ("Peternak itik", 1)],
    "pekerja_rumah_tangga": [("PRT", 3), ("Pembantu rumah tangga", 2), ("ART", 1)],
    "kerajinan": [("Pengrajin anyaman purun", 2), ("Penjahit", 2), ("Pembuat kue", 1)],
    "jasa": [("Honorer", 2), ("Guru ngaji", 2), ("Marbot", 1), ("Montir", 1),
             ("Kader posyandu", 1)],
    "lainnya": [("Swasta", 3), ("-", 1), ("Pemulung", 1), ("Lainnya", 1)],
}
REJECTION_REASONS = [
    ("Sudah terdaftar sebagai peserta penerima upah", 0.35, False),
    ("NIK tidak terdaftar di Dukcapil", 0.20, True),   # True: can be fixed and verified later
    ("KTP belum berdomisili {kab}", 0.15, True),
    ("Data ganda", 0.10, False),
    ("Berstatus ASN/TNI/Polri", 0.10, False),
    ("Usia di atas batas", 0.10, False),
]
MEN = ["Muhammad", "Ahmad", "Akhmad", "Abdul", "Rahmat", "Hairul", "Saipul", "Rusdi", "Mahyuni",
       "Syahrani", "Arbani", "Ibrahim", "Hamdani", "Rusmadi", "Zainal", "Fauzan", "Rizky",
       "Jumberi", "Samsul", "Taufik", "Anang", "Yusran", "Herman", "Budi", "Agus", "Junaidi",
       "Mulyadi", "Norhadi", "Ilham", "Rahmadi", "Fahrurrazi", "Husin", "Bahrani", "Supian"]
WOMEN = ["Siti", "Noor", "Nor", "Rahmah", "Aisyah", "Jannah", "Mariatul", "Rusmini", "Fitriani",
         "Halimah", "Khadijah", "Salmah", "Norhayati", "Masitah", "Raudah", "Rabiatul", "Nurul",
         "Mardiana", "Sri", "Rina", "Wahyuni", "Hartati", "Isnawati", "Jumiati", "Lailan"]
SECOND = ["Hidayat", "Anwar", "Rahman", "Aini", "Kiptiah", "Fajri", "Hidayah", "Saputra",
          "Ramadhan", "Yani", "Maulida", "Arifin", "Effendi", "Hasanah", "Fitri", "Rizal",
          "Ansyari", "Mahmudah", "Husna", "Wijaya", "Sari", "Pratama", "Azizah", "Rosyadi", ""]
NONEXISTENT_DESA = ["Sungai Raya Hulu", "Tanjung Harapan Jaya", "Bukit Permai Indah",
                    "Karya Makmur Baru", "Sumber Rejeki Sentosa"]

REG_HEADERS = [
    "Timestamp",
    "NAMA LENGKAP (Sesuai KTP, tanpa gelar / jabatan)",
    "NOMOR INDUK KEPENDUDUKAN (16 NIK Sesuai KTP, misal: 6311090724010001) "
    "(<i>Pastikan KTP Bapak/Ibu sudah berdomisili {kab}</i>)",
    "NOMOR KARTU KELUARGA (KK)",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "KECAMATAN",
    "DESA/KELURAHAN",
    "PEKERJAAN",
    "NOMOR HP/WA (yang aktif, untuk notifikasi)",
]
