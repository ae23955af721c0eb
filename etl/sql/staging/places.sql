-- Where each row of a file is: a desa code typed in the file, or else the (kecamatan, desa)
-- names resolved in Python (etl.loaders.common.place_rows -> temp table place_names).
-- Input : temp view place_input (_row, desa_code_raw, kecamatan_raw, desa_raw); place_names
--         (kecamatan_raw, desa_raw, kecamatan_code, desa_code, method, reason); core.regions.
-- Output: temp table row_places (_row, kecamatan_code, desa_code, place_reason, place_method);
--         place_reason NULL when placed, else desa_code_unknown / desa_missing /
--         kecamatan_missing / kecamatan_unknown / desa_unknown.

CREATE OR REPLACE TEMP TABLE row_places AS
SELECT
    i._row,
    CASE WHEN i.typed IS NOT NULL THEN r.parent_code ELSE n.kecamatan_code END AS kecamatan_code,
    CASE WHEN i.typed IS NOT NULL THEN r.code ELSE n.desa_code END AS desa_code,
    CASE WHEN i.typed IS NOT NULL THEN CASE WHEN r.code IS NULL THEN 'desa_code_unknown' END
         WHEN n.desa_code IS NULL THEN coalesce(n.reason, 'desa_missing') END AS place_reason,
    CASE WHEN i.typed IS NOT NULL THEN 'code' ELSE n.method END AS place_method
FROM (SELECT *, region_code(desa_code_raw) AS typed FROM place_input) AS i
LEFT JOIN core.regions AS r ON r.code = i.typed AND r.level = 'desa'
LEFT JOIN place_names AS n
    ON i.typed IS NULL
   AND n.kecamatan_raw IS NOT DISTINCT FROM i.kecamatan_raw
   AND n.desa_raw IS NOT DISTINCT FROM i.desa_raw;
