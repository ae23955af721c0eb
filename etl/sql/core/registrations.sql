-- Registrations into the core: submissions, personal data, flags. core.participants and
-- private.persons are views over what is written here (schema.sql).
-- Input: temp table reg_accepted (staging/registrations.sql). Variables: load_id, min_age, max_age.
-- Written for millions of rows: hash aggregates and anti-joins, no sorts, no primary-key upserts
-- (keys stay unique by construction; tests/test_registrations*.py and the mart tests check it).

-- A cumulative form export repeats earlier submissions: the same person at the same timestamp
-- is the same submission and is stored once (the first row of the file that has it). reg_skip
-- lists the accepted rows that are not new submissions: usually few, so the inserts below
-- anti-join a small table instead of copying two million new rows into another one first.
CREATE OR REPLACE TEMP TABLE reg_skip AS
SELECT _row FROM reg_accepted SEMI JOIN core.registrations USING (person_key, submitted_at)
UNION
SELECT unnest(list(_row ORDER BY _row)[2:]) AS _row
FROM reg_accepted
GROUP BY person_key, submitted_at
HAVING count(*) > 1;

INSERT INTO core.registrations
SELECT getvariable('load_id'), _row, person_key, nik_masked, submitted_at, birth_date, sex,
       kecamatan_code, desa_code, occupation_text, sector
FROM reg_accepted ANTI JOIN reg_skip USING (_row);

-- Personal data of every new submission; private.persons (a view) picks the newest per person.
INSERT INTO private.contacts
SELECT person_key, nik, kk, full_name, phone, submitted_at, 'formulir', getvariable('load_id')
FROM reg_accepted ANTI JOIN reg_skip USING (_row);

-- Flags of the new submissions only: a submission repeated by a cumulative export was flagged
-- when it was first stored, and the verifier should see it once, not once per export.
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
    FROM reg_accepted ANTI JOIN reg_skip USING (_row)
    WHERE flag_other_kabupaten OR flag_birth_mismatch OR flag_sex_mismatch OR flag_fuzzy_place
       OR age_at_submission NOT BETWEEN getvariable('min_age') AND getvariable('max_age')
) AS flagged, LATERAL (SELECT f.flag AS flag, f.detail AS detail) AS x
WHERE f IS NOT NULL;

-- core.participants is a view over core.registrations (schema.sql).
