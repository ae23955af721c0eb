-- Registrations: clean and judge every row of the form export, in one pass, in SQL.
-- Input : temp view reg_input (_row, timestamp_raw, name_raw, nik_raw, kk_raw, birth_raw, sex_raw,
--         kecamatan_raw, desa_raw, occupation_raw, phone_raw, _number_cells, nik_header, kk_header)
--         temp tables reg_places (kecamatan_raw, desa_raw, kecamatan_code, desa_code, reason)
--         and reg_sectors (occupation_raw, sector); the macros of staging/macros.sql.
-- Output: temp tables reg_clean (one row per input row, reason_code NULL when accepted) and
--         reg_accepted (accepted rows with person key, sector and flags).
-- Variables: kabupaten_code ('63.11'), date_order ('mdy' or 'dmy', one for the whole file,
--            decided by etl.loaders.common.decide_date_order), min_age, max_age.
-- Speed matters (2,000,000 rows in seconds): common formats take a fast path, and values that
-- repeat (birth dates, places, occupations) are parsed once per distinct text.

-- A format that does not fit is slow to try, and birth dates repeat (a few thousand distinct
-- texts in millions of rows): parse each distinct text once.
CREATE OR REPLACE TEMP TABLE reg_birth AS
SELECT
    birth_raw,
    coalesce(trim(birth_raw), '') = '' AS birth_missing,
    parse_day(birth_raw) AS birth_date
FROM reg_distinct WHERE what = 'birth';

CREATE OR REPLACE TEMP TABLE reg_clean AS
-- Inlined, not materialized: each rule reads the cleaned NIK once (the 16-digit fast path of
-- nik_reason), so a copy of two million rows would cost more than it saves.
WITH cleaned AS NOT MATERIALIZED (
    SELECT
        i._row, i.nik_raw, i.kk_raw, i.name_raw, i.phone_raw, i.sex_raw, i.occupation_raw,
        i.kecamatan_raw, i.desa_raw,
        -- NIK and KK cleaning and judging: the shared macros of staging/macros.sql.
        clean_id(nik_raw) AS nik,
        clean_id(kk_raw) AS kk,
        is_number_cell(_number_cells, nik_header) AS nik_number_cell,
        is_number_cell(_number_cells, kk_header) AS kk_number_cell,
        -- Every form of staging/macros.sql; the file's own slash form is tried first, fast.
        parse_moment(timestamp_raw)::TIMESTAMP AS submitted_at,
        CASE
            WHEN upper(trim(sex_raw)) IN ('L', 'LK', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'PRIA',
                                          'M', 'MALE') THEN 'L'
            WHEN upper(trim(sex_raw)) IN ('P', 'PR', 'PEREMPUAN', 'WANITA', 'F', 'FEMALE', 'W')
                THEN 'P'
        END AS sex_form,
        b.birth_missing,
        b.birth_date
    FROM reg_input AS i
    LEFT JOIN reg_birth AS b ON b.birth_raw IS NOT DISTINCT FROM i.birth_raw
),
judged AS (
    SELECT
        c._row, c.nik, c.kk, c.name_raw, c.phone_raw, c.occupation_raw, c.submitted_at,
        c.birth_date, c.sex_form,
        pl.kecamatan_code,
        pl.desa_code,
        pl.method AS place_method,
        -- The first failing rule is the row's reason, in the order a person fixes them.
        coalesce(
            nik_reason(nik_raw, nik, nik_number_cell),
            kk_reason(kk_raw, kk, kk_number_cell),
            CASE
                WHEN birth_missing THEN 'birth_date_missing'
                WHEN birth_date IS NULL THEN 'birth_date_invalid'
                WHEN submitted_at IS NULL THEN 'timestamp_invalid'
                WHEN birth_date > submitted_at::DATE THEN 'birth_date_future'
                WHEN pl.reason IS NOT NULL THEN pl.reason
            END) AS reason_code
    FROM cleaned AS c
    LEFT JOIN reg_places AS pl
        ON pl.kecamatan_raw IS NOT DISTINCT FROM c.kecamatan_raw
       AND pl.desa_raw IS NOT DISTINCT FROM c.desa_raw
)
-- One pass: what an accepted row needs (person key, contact fields, sector, the facts behind
-- the verifier's flags) is computed here for every row (nearly all are accepted, and a
-- CASE on the reason would repeat the reason's whole expression per column); reg_accepted is
-- a view of the accepted ones.
SELECT
    j._row, j.reason_code, j.kecamatan_code, j.desa_code, j.submitted_at, j.birth_date,
    person_key(j.nik) AS person_key,
    mask_nik(j.nik) AS nik_masked,
    j.nik,
    j.kk,
    -- Runs of spaces, tabs or line breaks become one space; most names have none, and a
    -- substring test is cheaper than the regex.
    nullif(CASE WHEN contains(j.name_raw, '  ') OR contains(j.name_raw, chr(9))
                     OR contains(j.name_raw, chr(10)) OR contains(j.name_raw, chr(13))
                THEN regexp_replace(trim(j.name_raw), '\s+', ' ', 'g')
                ELSE trim(j.name_raw) END, '') AS full_name,
    nullif(trim(j.phone_raw), '') AS phone,
    j.sex_form,
    nik_birth_date(j.nik) AS nik_birth_date,
    nullif(trim(j.occupation_raw), '') AS occupation_text,
    coalesce(s.sector, 'lainnya') AS sector,
    j.place_method
FROM judged AS j
LEFT JOIN reg_sectors AS s ON s.occupation_raw IS NOT DISTINCT FROM j.occupation_raw;

-- Accepted rows with their person key, sector, and the flags a verifier should see.
CREATE OR REPLACE TEMP VIEW reg_accepted AS
SELECT
    _row, person_key, nik_masked, nik, kk, full_name, phone, submitted_at, birth_date,
    coalesce(sex_form, CASE WHEN substr(nik, 7, 2) > '40' THEN 'P' ELSE 'L' END) AS sex,
    kecamatan_code, desa_code, occupation_text, sector,
    substr(nik, 1, 2) || '.' || substr(nik, 3, 2) <> getvariable('kabupaten_code')
        AS flag_other_kabupaten,
    (day(birth_date) <> day(nik_birth_date) OR month(birth_date) <> month(nik_birth_date)
        OR year(birth_date) % 100 <> year(nik_birth_date) % 100) AS flag_birth_mismatch,
    (sex_form IS NOT NULL
        AND sex_form <> CASE WHEN substr(nik, 7, 2) > '40' THEN 'P' ELSE 'L' END)
        AS flag_sex_mismatch,
    date_diff('year', birth_date, submitted_at::DATE)
        - CASE WHEN strftime(submitted_at, '%m%d') < strftime(birth_date, '%m%d') THEN 1 ELSE 0
          END AS age_at_submission,
    place_method = 'fuzzy' AS flag_fuzzy_place
FROM reg_clean
WHERE reason_code IS NULL;
