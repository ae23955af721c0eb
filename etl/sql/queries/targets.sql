-- Targets of one year (the latest load wins for the same period, level and code).
-- Parameters: $year (INTEGER), $level (level or NULL for all).
SELECT level, code, quarter, month, target
FROM core.targets
WHERE year = $year AND ($level IS NULL OR level = $level)
QUALIFY row_number() OVER (PARTITION BY year, quarter, month, level, code
                           ORDER BY load_id DESC) = 1
ORDER BY CASE level WHEN 'kabupaten' THEN 1 WHEN 'kecamatan' THEN 2 WHEN 'desa' THEN 3
                    WHEN 'sektor' THEN 4 ELSE 5 END,
         code, quarter NULLS FIRST, month NULLS FIRST
