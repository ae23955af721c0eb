-- Quarantined rows with their original values (JSON text; personal columns are masked or dropped
-- in Python before anything is shown): each distinct rejected row once, at its latest load
-- (meta.quarantine_latest). Parameters: $load_id (INTEGER: the rows whose latest load it is, the
-- page's "Muatan" filter; NULL: all), $limit (INTEGER, NULL for all rows) and $offset (INTEGER):
-- one page of the list, so the page masks and sends a few hundred rows, not tens of thousands.
-- in_latest_file: the row is in the newest file of its kind. A row that a later cumulative export
-- no longer has was fixed or removed at the source; the data officer works on the others first.
-- The order is total ((load_id, row_number) is unique), so pages never overlap or skip a row.
SELECT q.load_id, q.kind, q.source_file, q.row_number, q.reason_code, q.reason_detail,
       q.load_id = (SELECT max(l.load_id) FROM meta.loads AS l WHERE l.kind = q.kind)
           AS in_latest_file,
       q.kecamatan_code, k.name AS kecamatan_nama, q.desa_code, d.name AS desa_nama,
       q.original::VARCHAR AS original
FROM meta.quarantine_latest AS q
LEFT JOIN core.regions AS k ON k.code = q.kecamatan_code
LEFT JOIN core.regions AS d ON d.code = q.desa_code
WHERE $load_id IS NULL OR q.load_id = $load_id
ORDER BY in_latest_file DESC, q.load_id DESC, q.row_number
LIMIT $limit OFFSET $offset
