-- Flags on accepted rows with the masked NIK and place of the flagged person (the flagged
-- submission when stored, else the person's newest one). No parameters.
-- Narrowed for millions of registrations (issue 16): the flagged rows are fetched by their key
-- (one semi-join), and the newest submission (as core.participants defines it) is computed
-- only for people whose flagged row was not stored, usually none; grouping every flagged
-- person's submissions cost seconds for a few tens of thousands of flags.
WITH stored AS (
    SELECT r.load_id, r.row_number, r.person_key, r.nik_masked, r.kecamatan_code, r.desa_code
    FROM core.registrations AS r
    SEMI JOIN meta.flags AS f
           ON r.load_id = f.load_id AND r.row_number = f.row_number AND r.person_key = f.person_key
),
unstored AS (
    SELECT DISTINCT f.person_key FROM meta.flags AS f
    ANTI JOIN stored AS s
           ON s.load_id = f.load_id AND s.row_number = f.row_number AND s.person_key = f.person_key
),
newest AS (
    SELECT r.person_key,
           arg_max(r.nik_masked, r.submitted_at) AS nik_masked,
           arg_max(r.kecamatan_code, r.submitted_at) AS kecamatan_code,
           arg_max(r.desa_code, r.submitted_at) AS desa_code
    FROM core.registrations AS r
    WHERE r.person_key IN (SELECT person_key FROM unstored)
    GROUP BY r.person_key
)
SELECT f.load_id, f.row_number, f.flag_code, f.detail,
       coalesce(r.nik_masked, p.nik_masked) AS nik_masked,
       coalesce(r.kecamatan_code, p.kecamatan_code) AS kecamatan_code, k.name AS kecamatan_nama,
       coalesce(r.desa_code, p.desa_code) AS desa_code, d.name AS desa_nama
FROM meta.flags AS f
LEFT JOIN stored AS r
       ON r.load_id = f.load_id AND r.row_number = f.row_number AND r.person_key = f.person_key
LEFT JOIN newest AS p ON p.person_key = f.person_key
LEFT JOIN core.regions AS k ON k.code = coalesce(r.kecamatan_code, p.kecamatan_code)
LEFT JOIN core.regions AS d ON d.code = coalesce(r.desa_code, p.desa_code)
ORDER BY f.load_id DESC, f.flag_code, f.row_number
