-- Registrations into the core: submissions, personal data (newest wins), flags, participants.
-- Input: temp table reg_accepted (staging/registrations.sql). Variables: load_id, min_age, max_age.
-- Written for millions of rows: hash aggregates and anti-joins, no sorts, no primary-key upserts
-- (keys stay unique by construction; tests/test_registrations*.py and the mart tests check it).

-- A cumulative form export repeats earlier submissions: the same person at the same timestamp
-- is the same submission and is stored once (the first row of the file that has it).
CREATE OR REPLACE TEMP TABLE reg_new AS
SELECT a.*
FROM reg_accepted AS a
JOIN (SELECT person_key, submitted_at, min(_row) AS _row
      FROM reg_accepted GROUP BY person_key, submitted_at) AS firsts
  USING (person_key, submitted_at, _row)
ANTI JOIN core.registrations AS r USING (person_key, submitted_at);

INSERT INTO core.registrations
SELECT getvariable('load_id'), _row, person_key, nik_masked, submitted_at, birth_date, sex,
       kecamatan_code, desa_code, occupation_text, sector
FROM reg_new;

-- Personal data: the newest submission of each person gives the contact fields. Ordering by
-- one BIGINT (epoch seconds, then row) is much faster than by a struct.
CREATE OR REPLACE TEMP TABLE persons_touched AS
SELECT person_key,
       arg_max(nik, epoch(submitted_at)::BIGINT * 1000000000 + _row) AS nik,
       arg_max(kk, epoch(submitted_at)::BIGINT * 1000000000 + _row) AS kk,
       arg_max(full_name, epoch(submitted_at)::BIGINT * 1000000000 + _row) AS full_name,
       arg_max(phone, epoch(submitted_at)::BIGINT * 1000000000 + _row) AS phone,
       max(submitted_at) AS updated_at
FROM reg_accepted
GROUP BY person_key;

-- Old rows that this file does not make newer, plus this file's rows that are at least as new.
CREATE OR REPLACE TABLE private.persons AS
SELECT o.* FROM private.persons AS o
LEFT JOIN persons_touched AS t USING (person_key)
WHERE t.person_key IS NULL OR o.updated_at > t.updated_at
UNION ALL
SELECT t.person_key, t.nik, t.kk, t.full_name, t.phone, t.updated_at FROM persons_touched AS t
LEFT JOIN private.persons AS o USING (person_key)
WHERE o.person_key IS NULL OR o.updated_at <= t.updated_at;

INSERT INTO meta.flags
SELECT getvariable('load_id'), _row, person_key, flag, detail FROM (
    SELECT _row, person_key,
           unnest([
               CASE WHEN flag_other_kabupaten THEN {'flag': 'nik_other_kabupaten',
                    'detail': 'NIK ' || substr(nik, 1, 2) || '.' || substr(nik, 3, 2)} END,
               CASE WHEN flag_birth_mismatch THEN {'flag': 'nik_birth_date_mismatch',
                    'detail': 'formulir ' || birth_date::VARCHAR} END,
               CASE WHEN flag_sex_mismatch THEN {'flag': 'nik_sex_mismatch',
                    'detail': 'formulir ' || sex} END,
               CASE WHEN age_at_submission NOT BETWEEN getvariable('min_age')
                                                   AND getvariable('max_age')
                    THEN {'flag': 'age_out_of_range',
                          'detail': 'usia ' || age_at_submission::VARCHAR} END,
               CASE WHEN flag_fuzzy_place THEN {'flag': 'desa_fuzzy_match',
                    'detail': desa_code} END
           ]) AS f
    FROM reg_accepted
    WHERE flag_other_kabupaten OR flag_birth_mismatch OR flag_sex_mismatch OR flag_fuzzy_place
       OR age_at_submission NOT BETWEEN getvariable('min_age') AND getvariable('max_age')
) AS flagged, LATERAL (SELECT f.flag AS flag, f.detail AS detail) AS x
WHERE f IS NOT NULL;

-- One participant per person: the first submission dates the registration, the newest gives the
-- place, occupation and sex (people move and correct their data). Only people in this file are
-- recomputed; everyone else keeps their row.
CREATE OR REPLACE TEMP TABLE participants_touched AS
SELECT
    person_key,
    min(submitted_at) AS first_submitted_at,
    max(submitted_at) AS last_submitted_at,
    count(*)::INTEGER AS submissions,
    arg_max({'nik_masked': nik_masked, 'birth_date': birth_date, 'sex': sex,
             'kecamatan_code': kecamatan_code, 'desa_code': desa_code,
             'occupation_text': occupation_text, 'sector': sector},
            submitted_at) AS newest  -- (person, submitted_at) is unique in core.registrations
FROM core.registrations
WHERE person_key IN (SELECT person_key FROM reg_new)
GROUP BY person_key;

CREATE OR REPLACE TABLE core.participants AS
SELECT * FROM core.participants
WHERE person_key NOT IN (SELECT person_key FROM participants_touched)
UNION ALL
SELECT person_key, newest.nik_masked, first_submitted_at, last_submitted_at, submissions,
       newest.birth_date, newest.sex, newest.kecamatan_code, newest.desa_code,
       newest.occupation_text, newest.sector
FROM participants_touched;
