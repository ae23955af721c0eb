-- Quarantined rows per desa (or per kecamatan when the desa could not be placed), with names from
-- core.regions; rows with no place at all are grouped under NULL codes. Each distinct rejected row once
-- (meta.quarantine_latest). No parameters.
SELECT q.kecamatan_code, k.name AS kecamatan_nama, q.desa_code, d.name AS desa_nama,
       count(*)::INTEGER AS rows,
       string_agg(DISTINCT q.reason_code, ', ' ORDER BY q.reason_code) AS reason_codes
FROM meta.quarantine_latest AS q
LEFT JOIN core.regions AS k ON k.code = q.kecamatan_code
LEFT JOIN core.regions AS d ON d.code = q.desa_code
GROUP BY ALL
ORDER BY rows DESC, q.kecamatan_code NULLS LAST, q.desa_code NULLS LAST
