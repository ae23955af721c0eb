-- Every place a decision can be about: the kabupaten, its kecamatan, then its desa (with the
-- name of their kecamatan), in code order. No parameters.
SELECT r.code, r.level, r.name, p.name AS parent_name
FROM core.regions AS r
LEFT JOIN core.regions AS p ON p.code = r.parent_code
ORDER BY CASE r.level WHEN 'kabupaten' THEN 0 WHEN 'kecamatan' THEN 1 ELSE 2 END, r.code
