-- Quarantined rows with their original values (JSON text; personal columns are masked or dropped
-- in Python before anything is shown). Parameters: $load_id (INTEGER, or NULL for each distinct
-- rejected row once, at its latest load).
-- in_latest_file: the row is in the newest file of its kind. A row that a later cumulative export
-- no longer has was fixed or removed at the source; the data officer works on the others first.
SELECT q.load_id, q.kind, q.source_file, q.row_number, q.reason_code, q.reason_detail,
       q.load_id = (SELECT max(l.load_id) FROM meta.loads AS l WHERE l.kind = q.kind)
           AS in_latest_file,
       q.kecamatan_code, k.name AS kecamatan_nama, q.desa_code, d.name AS desa_nama,
       q.original::VARCHAR AS original
FROM (SELECT * FROM meta.quarantine_latest WHERE $load_id IS NULL
      UNION ALL
      SELECT * FROM meta.quarantine WHERE load_id = $load_id) AS q
LEFT JOIN core.regions AS k ON k.code = q.kecamatan_code
LEFT JOIN core.regions AS d ON d.code = q.desa_code
ORDER BY in_latest_file DESC, q.load_id DESC, q.row_number
