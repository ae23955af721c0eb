-- Quarantined rows with their original values (JSON text; personal columns are masked or dropped
-- in Python before anything is shown). Parameters: $load_id (INTEGER, or NULL for each distinct
-- rejected row once, at its latest load).
SELECT q.load_id, q.kind, q.source_file, q.row_number, q.reason_code, q.reason_detail,
       q.kecamatan_code, k.name AS kecamatan_nama, q.desa_code, d.name AS desa_nama,
       q.original::VARCHAR AS original
FROM (SELECT * FROM meta.quarantine_latest WHERE $load_id IS NULL
      UNION ALL
      SELECT * FROM meta.quarantine WHERE load_id = $load_id) AS q
LEFT JOIN core.regions AS k ON k.code = q.kecamatan_code
LEFT JOIN core.regions AS d ON d.code = q.desa_code
ORDER BY q.load_id DESC, q.row_number
