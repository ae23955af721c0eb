-- Registrations: clean and judge every row of the form export, in one pass, in SQL.
-- Input : temp view reg_input (_row, timestamp_raw, name_raw, nik_raw, kk_raw, birth_raw, sex_raw,
--         kecamatan_raw, desa_raw, occupation_raw, phone_raw, _number_cells, nik_header, kk_header)
--         temp tables reg_places (kecamatan_raw, desa_raw, kecamatan_code, desa_code, reason)
--         and reg_sectors (occupation_raw, sector); the macros of staging/macros.sql.
-- Output: temp table reg_checked: one row per input row, reason_code NULL when accepted.
-- Variables: kabupaten_code ('63.11'), birth_format ('mdy' or 'dmy'), min_age, max_age.

CREATE OR REPLACE TEMP TABLE reg_clean AS
WITH cleaned AS (
    SELECT
        i.*,
        -- NIK and KK cleaning and judging: the shared macros of staging/macros.sql.
        clean_id(nik_raw) AS nik,
        clean_id(kk_raw) AS kk,
        is_number_cell(_number_cells, nik_header) AS nik_number_cell,
        is_number_cell(_number_cells, kk_header) AS kk_number_cell,
        regexp_replace(trim(coalesce(birth_raw, '')), '[[:space:]]+', ' ', 'g') AS birth_text,
        regexp_replace(trim(coalesce(timestamp_raw, '')), '\s*(GMT|UTC|WITA|WIB|WIT)[+\-0-9:]*$',
                       '') AS ts_text
    FROM reg_input AS i
),
parsed AS (
    SELECT
        c.*,
        coalesce(
            try_strptime(birth_text, ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S',
                                      '%Y/%m/%d']),
            CASE WHEN getvariable('birth_format') = 'dmy'
                 THEN try_strptime(birth_text, ['%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y'])
                 ELSE try_strptime(birth_text, ['%m/%d/%Y', '%m-%d-%Y']) END
        )::DATE AS birth_date,
        coalesce(
            try_strptime(ts_text, ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%Y-%m-%d %H:%M:%S',
                                   '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d %I:%M:%S %p',
                                   '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f',
                                   '%Y-%m-%d', '%m/%d/%Y']),
            CASE WHEN getvariable('birth_format') = 'dmy'
                 THEN try_strptime(ts_text, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M']) END
        ) AS submitted_at,
        CASE
            WHEN upper(trim(sex_raw)) IN ('L', 'LK', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'PRIA',
                                          'M', 'MALE') THEN 'L'
            WHEN upper(trim(sex_raw)) IN ('P', 'PR', 'PEREMPUAN', 'WANITA', 'F', 'FEMALE', 'W')
                THEN 'P'
        END AS sex_form
    FROM cleaned AS c
),
nik_checked AS (
    SELECT
        p.*,
        nik_birth_date(nik) AS nik_birth_date,
        nik_sex(nik) AS nik_sex
    FROM parsed AS p
)
SELECT
    n.*,
    pl.kecamatan_code,
    pl.desa_code,
    pl.method AS place_method,
    -- The first failing rule is the row's reason; the order is the order a person fixes them in.
    coalesce(
        nik_reason(nik_raw, nik, nik_number_cell),
        kk_reason(kk_raw, kk, kk_number_cell),
        CASE
            WHEN birth_text = '' THEN 'birth_date_missing'
            WHEN birth_date IS NULL THEN 'birth_date_invalid'
            WHEN submitted_at IS NULL THEN 'timestamp_invalid'
            WHEN birth_date > submitted_at::DATE THEN 'birth_date_future'
            WHEN pl.reason IS NOT NULL THEN pl.reason
        END) AS reason_code
FROM nik_checked AS n
LEFT JOIN reg_places AS pl
    ON pl.kecamatan_raw IS NOT DISTINCT FROM n.kecamatan_raw
   AND pl.desa_raw IS NOT DISTINCT FROM n.desa_raw;

-- Accepted rows with their person key, sector, and the flags a verifier should see.
CREATE OR REPLACE TEMP TABLE reg_accepted AS
SELECT
    _row,
    person_key(nik) AS person_key,
    mask_nik(nik) AS nik_masked,
    nik, kk,
    nullif(regexp_replace(trim(name_raw), '\s+', ' ', 'g'), '') AS full_name,
    nullif(trim(phone_raw), '') AS phone,
    submitted_at::TIMESTAMP AS submitted_at,
    birth_date,
    coalesce(sex_form, nik_sex) AS sex,
    kecamatan_code,
    desa_code,
    nullif(trim(r.occupation_raw), '') AS occupation_text,
    coalesce(s.sector, 'lainnya') AS sector,
    substr(nik, 1, 2) || '.' || substr(nik, 3, 2) <> getvariable('kabupaten_code')
        AS flag_other_kabupaten,
    (day(birth_date) <> day(nik_birth_date) OR month(birth_date) <> month(nik_birth_date)
        OR year(birth_date) % 100 <> year(nik_birth_date) % 100) AS flag_birth_mismatch,
    (sex_form IS NOT NULL AND sex_form <> nik_sex) AS flag_sex_mismatch,
    date_diff('year', birth_date, submitted_at::DATE)
        - CASE WHEN strftime(submitted_at, '%m%d') < strftime(birth_date, '%m%d') THEN 1 ELSE 0
          END AS age_at_submission,
    place_method = 'fuzzy' AS flag_fuzzy_place
FROM reg_clean AS r
LEFT JOIN reg_sectors AS s ON s.occupation_raw IS NOT DISTINCT FROM r.occupation_raw
WHERE reason_code IS NULL;
