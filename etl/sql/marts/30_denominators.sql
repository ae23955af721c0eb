-- marts.denominators: estimated workers in scope per year, desa and sector (sector NULL: all
-- sectors of the desa), for every year from the first year of any data (registrations, members,
-- denominators) to the latest such year.
-- Rules:
--   * several loads for the same (year, desa, sector): the latest load wins;
--   * a desa with sector rows but no all-sector row in any year gets, for each year with sector
--     rows, their sum as its all-sector estimate (source says so); a desa with an all-sector row
--     in some year uses those rows (with the year rule below), never a partial sum of sectors;
--   * a year without an estimate for a (desa, sector) uses the latest earlier year; a year before
--     the first estimate uses the earliest later year. data_year is the year actually used.
-- Desa codes outside core.regions are kept here but never match a place in the metrics.

CREATE OR REPLACE TABLE marts.denominators AS
WITH latest AS (
    SELECT year, desa_code, sector, estimated_workers, source
    FROM core.denominators
    QUALIFY row_number() OVER (PARTITION BY year, desa_code, sector ORDER BY load_id DESC) = 1
),
with_totals AS (
    SELECT year, desa_code, sector, estimated_workers, source FROM latest
    UNION ALL
    SELECT year, desa_code, NULL, sum(estimated_workers),
           'jumlah estimasi per sektor'
    FROM latest AS s
    WHERE sector IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM latest AS t
                      WHERE t.desa_code = s.desa_code AND t.sector IS NULL)
    GROUP BY year, desa_code
),
span AS (
    SELECT min(y) AS first_year, max(y) AS last_year FROM (
        SELECT year AS y FROM with_totals
        UNION ALL SELECT year(reg_month) FROM marts.people WHERE reg_month IS NOT NULL
        UNION ALL SELECT year(enr_month) FROM marts.people WHERE enr_month IS NOT NULL
        UNION ALL SELECT year(last_month) FROM marts.data_span WHERE last_month IS NOT NULL)
),
years AS (
    SELECT unnest(generate_series(first_year, last_year)) AS year FROM span
),
keys AS (
    SELECT DISTINCT desa_code, sector FROM with_totals
)
SELECT y.year, k.desa_code, r.parent_code AS kecamatan_code, k.sector,
       d.estimated_workers::INTEGER AS estimated_workers, d.year AS data_year, d.source
FROM keys AS k
CROSS JOIN years AS y
JOIN with_totals AS d ON d.desa_code = k.desa_code AND d.sector IS NOT DISTINCT FROM k.sector
LEFT JOIN core.regions AS r ON r.code = k.desa_code AND r.level = 'desa'
QUALIFY row_number() OVER (
    PARTITION BY y.year, k.desa_code, k.sector
    ORDER BY (d.year <= y.year) DESC,
             CASE WHEN d.year <= y.year THEN -d.year ELSE d.year END) = 1
ORDER BY y.year, k.desa_code, k.sector NULLS FIRST;
