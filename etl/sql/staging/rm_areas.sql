-- RM areas: clean and judge every row, in one pass.
-- Input : temp view rm_input (_row, rm_id_raw, rm_name_raw, desa_code_raw, kecamatan_raw,
--         desa_raw, _number_cells); row_places (staging/places.sql).
-- Output: temp table rm_checked (one row per input row, reason_code NULL when accepted).

CREATE OR REPLACE TEMP TABLE rm_checked AS
WITH cleaned AS (
    SELECT
        i._row,
        rm_key(i.rm_id_raw) AS rm_id,
        nullif(regexp_replace(trim(i.rm_name_raw), '\s+', ' ', 'g'), '') AS rm_name,
        p.kecamatan_code, p.desa_code, p.place_reason,
        CASE WHEN rm_key(i.rm_id_raw) IS NULL THEN 'rm_missing' ELSE p.place_reason END
            AS first_reason
    FROM rm_input AS i
    JOIN row_places AS p USING (_row)
),
-- A desa under two RMs in one file: one RM per desa at a time, so a person must choose.
conflicts AS (
    SELECT desa_code, string_agg(DISTINCT rm_id, ', ' ORDER BY rm_id) AS rms
    FROM cleaned WHERE first_reason IS NULL
    GROUP BY 1 HAVING count(DISTINCT rm_id) > 1
)
SELECT
    c._row, c.rm_id, c.rm_name, c.kecamatan_code, c.desa_code,
    coalesce(first_reason, CASE WHEN k.desa_code IS NOT NULL THEN 'duplicate_conflict' END)
        AS reason_code,
    CASE WHEN first_reason IS NULL AND k.desa_code IS NOT NULL
         THEN c.desa_code || ' di ' || k.rms END AS reason_detail
FROM cleaned AS c
LEFT JOIN conflicts AS k ON c.first_reason IS NULL AND k.desa_code = c.desa_code;
