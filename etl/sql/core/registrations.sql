-- Registrations into the core: submissions, personal data (newest wins), flags, participants.
-- Input: temp table reg_accepted (staging/registrations.sql). Variables: load_id, min_age, max_age.

-- A cumulative form export repeats earlier submissions: the same person at the same timestamp
-- is the same submission and is not stored twice.
INSERT INTO core.registrations
SELECT DISTINCT ON (person_key, submitted_at)
    getvariable('load_id'), _row, person_key, nik_masked, submitted_at, birth_date, sex,
    kecamatan_code, desa_code, occupation_text, sector
FROM reg_accepted AS a
WHERE NOT EXISTS (SELECT 1 FROM core.registrations AS r
                  WHERE r.person_key = a.person_key AND r.submitted_at = a.submitted_at)
ORDER BY person_key, submitted_at, _row;

-- Personal data: the newest submission of each person updates the contact fields.
INSERT OR REPLACE INTO private.persons
SELECT person_key, nik, kk, full_name, phone, submitted_at
FROM (
    SELECT a.*, row_number() OVER (PARTITION BY person_key
                                   ORDER BY submitted_at DESC, _row DESC) AS newest
    FROM reg_accepted AS a) AS ranked
WHERE newest = 1
  AND NOT EXISTS (SELECT 1 FROM private.persons AS p
                  WHERE p.person_key = ranked.person_key AND p.updated_at > ranked.submitted_at);

INSERT INTO meta.flags
SELECT getvariable('load_id'), _row, person_key, flag, detail FROM (
    SELECT _row, person_key, 'nik_other_kabupaten' AS flag,
           'NIK ' || substr(nik, 1, 2) || '.' || substr(nik, 3, 2) AS detail, flag_other_kabupaten AS hit
    FROM reg_accepted
    UNION ALL
    SELECT _row, person_key, 'nik_birth_date_mismatch', 'form ' || birth_date::VARCHAR,
           flag_birth_mismatch FROM reg_accepted
    UNION ALL
    SELECT _row, person_key, 'nik_sex_mismatch', 'form ' || sex, flag_sex_mismatch
    FROM reg_accepted
    UNION ALL
    SELECT _row, person_key, 'age_out_of_range', 'usia ' || age_at_submission::VARCHAR,
           age_at_submission NOT BETWEEN getvariable('min_age') AND getvariable('max_age')
    FROM reg_accepted
    UNION ALL
    SELECT _row, person_key, 'desa_fuzzy_match', desa_code, flag_fuzzy_place FROM reg_accepted
) WHERE hit;

-- One participant per person: first submission dates the registration, the newest submission
-- gives the place, occupation and sex (people move and correct their data).
CREATE OR REPLACE TABLE core.participants AS
SELECT
    person_key,
    arg_max(nik_masked, submitted_at) AS nik_masked,
    min(submitted_at) AS first_submitted_at,
    max(submitted_at) AS last_submitted_at,
    count(*)::INTEGER AS submissions,
    arg_max(birth_date, submitted_at) AS birth_date,
    arg_max(sex, submitted_at) AS sex,
    arg_max(kecamatan_code, submitted_at) AS kecamatan_code,
    arg_max(desa_code, submitted_at) AS desa_code,
    arg_max(occupation_text, submitted_at) AS occupation_text,
    arg_max(sector, submitted_at) AS sector
FROM core.registrations
GROUP BY person_key;
