-- Flags on accepted rows with the masked NIK and place of the flagged person (the flagged
-- submission when stored, else the person's newest one). No parameters.
-- The newest submission is computed for flagged people only (as core.participants defines it):
-- on millions of registrations grouping everyone cost seconds for a few thousand flags.
WITH flagged AS (
    SELECT r.person_key,
           arg_max(r.nik_masked, r.submitted_at) AS nik_masked,
           arg_max(r.kecamatan_code, r.submitted_at) AS kecamatan_code,
           arg_max(r.desa_code, r.submitted_at) AS desa_code
    FROM core.registrations AS r
    WHERE r.person_key IN (SELECT person_key FROM meta.flags)
    GROUP BY r.person_key
)
SELECT f.load_id, f.row_number, f.flag_code, f.detail,
       coalesce(r.nik_masked, p.nik_masked) AS nik_masked,
       coalesce(r.kecamatan_code, p.kecamatan_code) AS kecamatan_code, k.name AS kecamatan_nama,
       coalesce(r.desa_code, p.desa_code) AS desa_code, d.name AS desa_nama
FROM meta.flags AS f
LEFT JOIN core.registrations AS r
       ON r.load_id = f.load_id AND r.row_number = f.row_number AND r.person_key = f.person_key
LEFT JOIN flagged AS p ON p.person_key = f.person_key
LEFT JOIN core.regions AS k ON k.code = coalesce(r.kecamatan_code, p.kecamatan_code)
LEFT JOIN core.regions AS d ON d.code = coalesce(r.desa_code, p.desa_code)
ORDER BY f.load_id DESC, f.flag_code, f.row_number
