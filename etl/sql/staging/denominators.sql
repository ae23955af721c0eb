-- Denominators: clean and judge every row, in one pass.
-- Input : temp view den_input (_row, desa_code_raw, kecamatan_raw, desa_raw, sector_raw,
--         year_raw, estimate_raw, source_raw, _number_cells); row_places (staging/places.sql);
--         den_sectors (sector_raw, sector: etl.sectors.sector_code once per distinct text).
-- Output: temp table den_checked (one row per input row, reason_code NULL when accepted).

CREATE OR REPLACE TEMP TABLE den_checked AS
WITH cleaned AS (
    SELECT
        i._row,
        p.kecamatan_code,
        p.desa_code,
        p.place_reason,
        nullif(trim(i.sector_raw), '') AS sector_text,
        s.sector,
        parse_count(i.year_raw) AS year,
        parse_count(i.estimate_raw) AS estimated_workers,
        nullif(regexp_replace(trim(i.source_raw), '\s+', ' ', 'g'), '') AS source,
        i.sector_raw, i.year_raw, i.estimate_raw
    FROM den_input AS i
    JOIN row_places AS p USING (_row)
    LEFT JOIN den_sectors AS s ON s.sector_raw IS NOT DISTINCT FROM i.sector_raw
),
judged AS (
    SELECT
        c.*,
        CASE
            WHEN place_reason IS NOT NULL THEN place_reason
            WHEN sector_text IS NOT NULL AND sector IS NULL THEN 'sector_unknown'
            WHEN year IS NULL OR year NOT BETWEEN 2000 AND 2100 THEN 'year_invalid'
            WHEN estimated_workers IS NULL THEN 'number_invalid'
        END AS first_reason
    FROM cleaned AS c
),
-- The same (year, desa, sector) with different figures in one file.
conflicts AS (
    SELECT year, desa_code, sector
    FROM judged WHERE first_reason IS NULL
    GROUP BY ALL HAVING count(DISTINCT estimated_workers) > 1
)
SELECT
    j.* EXCLUDE (first_reason),
    coalesce(first_reason, CASE WHEN k.year IS NOT NULL THEN 'duplicate_conflict' END)
        AS reason_code,
    CASE
        WHEN first_reason = 'sector_unknown' THEN 'SEKTOR: ' || sector_raw
        WHEN first_reason = 'year_invalid' THEN 'TAHUN: ' || coalesce(year_raw, '(kosong)')
        WHEN first_reason = 'number_invalid'
            THEN 'ESTIMASI_PEKERJA: ' || coalesce(estimate_raw, '(kosong)')
        WHEN first_reason IS NULL AND k.year IS NOT NULL
            THEN j.year::VARCHAR || ' ' || j.desa_code || ' ' || coalesce(j.sector, 'semua sektor')
    END AS reason_detail
FROM judged AS j
LEFT JOIN conflicts AS k
    ON j.first_reason IS NULL AND k.year = j.year AND k.desa_code = j.desa_code
   AND k.sector IS NOT DISTINCT FROM j.sector;
