-- Targets: clean and judge every row, in one pass.
-- Input : temp view tgt_input (_row, year_raw, month_raw, quarter_raw, level_raw, code_raw,
--         target_raw, _number_cells); per-distinct-text mappings done in Python:
--         tgt_levels (level_raw, level), tgt_months (month_raw, month), tgt_quarters
--         (quarter_raw, quarter), tgt_sectors (code_raw, sector); core.regions, core.rm_areas.
--         Variable kabupaten_code.
-- Output: temp table tgt_checked (one row per input row, reason_code NULL when accepted).

CREATE OR REPLACE TEMP TABLE tgt_checked AS
WITH cleaned AS (
    SELECT
        i._row, i.year_raw, i.month_raw, i.quarter_raw, i.level_raw, i.code_raw, i.target_raw,
        parse_count(i.year_raw) AS year,
        nullif(trim(i.month_raw), '') IS NOT NULL AS month_given,
        TRY_CAST(m.month AS INTEGER) AS month,
        nullif(trim(i.quarter_raw), '') IS NOT NULL AS quarter_given,
        TRY_CAST(q.quarter AS INTEGER) AS quarter_typed,
        l.level,
        parse_count(i.target_raw) AS target,
        -- The code as each level knows it.
        CASE l.level
            WHEN 'kabupaten' THEN coalesce(region_code(i.code_raw), getvariable('kabupaten_code'))
            WHEN 'kecamatan' THEN region_code(i.code_raw)
            WHEN 'desa' THEN region_code(i.code_raw)
            WHEN 'sektor' THEN s.sector
            WHEN 'rm' THEN rm_key(i.code_raw)
        END AS code
    FROM tgt_input AS i
    LEFT JOIN tgt_levels AS l ON l.level_raw IS NOT DISTINCT FROM i.level_raw
    LEFT JOIN tgt_months AS m ON m.month_raw IS NOT DISTINCT FROM i.month_raw
    LEFT JOIN tgt_quarters AS q ON q.quarter_raw IS NOT DISTINCT FROM i.quarter_raw
    LEFT JOIN tgt_sectors AS s ON s.code_raw IS NOT DISTINCT FROM i.code_raw
),
checked_codes AS (
    SELECT
        c.*,
        CASE c.level
            WHEN 'kabupaten' THEN c.code = getvariable('kabupaten_code')
            WHEN 'kecamatan' THEN c.code IN (SELECT code FROM core.regions
                                             WHERE level = 'kecamatan')
            WHEN 'desa' THEN c.code IN (SELECT code FROM core.regions WHERE level = 'desa')
            WHEN 'sektor' THEN c.code IS NOT NULL
            WHEN 'rm' THEN c.code IS NOT NULL AND (
                NOT EXISTS (SELECT 1 FROM core.rm_areas)
                OR c.code IN (SELECT rm_id FROM core.rm_areas))
        END AS code_known,
        c.level = 'rm' AND NOT EXISTS (SELECT 1 FROM core.rm_areas) AS rm_unchecked,
        -- A monthly target is not a quarterly one: its quarter is only checked, then dropped.
        CASE WHEN c.month IS NULL THEN c.quarter_typed END AS quarter
    FROM cleaned AS c
),
judged AS (
    SELECT
        k.*,
        CASE
            WHEN year IS NULL OR year NOT BETWEEN 2000 AND 2100 THEN 'year_invalid'
            WHEN (month_given AND month IS NULL) OR (quarter_given AND quarter_typed IS NULL)
                 OR (month IS NOT NULL AND quarter_typed IS NOT NULL
                     AND (month - 1) // 3 + 1 <> quarter_typed) THEN 'period_invalid'
            WHEN level IS NULL THEN 'level_unknown'
            WHEN NOT coalesce(code_known, FALSE) AND level = 'sektor' THEN 'sector_unknown'
            WHEN NOT coalesce(code_known, FALSE) THEN 'code_unknown'
            WHEN target IS NULL THEN 'number_invalid'
        END AS first_reason
    FROM checked_codes AS k
),
-- The same target key with different numbers in one file.
conflicts AS (
    SELECT year, quarter, month, level, code
    FROM judged WHERE first_reason IS NULL
    GROUP BY ALL HAVING count(DISTINCT target) > 1
)
SELECT
    j._row, j.year, j.quarter, j.month, j.level, j.code, j.target, j.rm_unchecked,
    coalesce(first_reason, CASE WHEN k.year IS NOT NULL THEN 'duplicate_conflict' END)
        AS reason_code,
    CASE
        WHEN first_reason = 'year_invalid' THEN 'TAHUN: ' || coalesce(year_raw, '(kosong)')
        WHEN first_reason = 'period_invalid'
            THEN 'BULAN: ' || coalesce(month_raw, '') || ' KUARTAL: ' || coalesce(quarter_raw, '')
        WHEN first_reason = 'level_unknown' THEN 'LEVEL: ' || coalesce(level_raw, '(kosong)')
        WHEN first_reason IN ('code_unknown', 'sector_unknown')
            THEN j.level || ': ' || coalesce(code_raw, '(kosong)')
        WHEN first_reason = 'number_invalid' THEN 'TARGET: ' || coalesce(target_raw, '(kosong)')
        WHEN first_reason IS NULL AND k.year IS NOT NULL THEN j.level || ' ' || j.code
    END AS reason_detail,
    CASE WHEN j.level = 'kecamatan' THEN j.code
         WHEN j.level = 'desa' THEN substr(j.code, 1, 8) END AS kecamatan_code,
    CASE WHEN j.level = 'desa' THEN j.code END AS desa_code
FROM judged AS j
LEFT JOIN conflicts AS k
    ON j.first_reason IS NULL AND k.year = j.year AND k.quarter IS NOT DISTINCT FROM j.quarter
   AND k.month IS NOT DISTINCT FROM j.month AND k.level = j.level AND k.code = j.code;
