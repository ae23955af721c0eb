-- Coverage by place (and sector) at the end of one month: the one definition behind the CLI
-- export, the dashboard and the tests (see etl/metrics.py coverage_table).
-- Parameters: $level ('kabupaten' | 'kecamatan' | 'desa'), $as_of (DATE, first of the month),
-- $year (denominator year), $kecamatan (code or NULL), $sector (code or NULL),
-- $by_sector (BOOLEAN), $sectors (VARCHAR[]: the sector rows to show; [NULL] when not by sector),
-- $with_unknown (BOOLEAN: add the row "wilayah tidak diketahui", kode NULL, for the people
-- whose desa is unknown, when there are any and no kecamatan is chosen; they are always in the
-- kabupaten's row, so with that row the places add up to the kabupaten),
-- $desa_codes (VARCHAR[] or NULL = no limit): only the people, estimates and desa of those desa
-- (an RM's area): a kecamatan or kabupaten row is then the part of it inside those desa, only
-- kecamatan holding one of them are listed, and the unknown-place row never appears (people
-- without a desa are in no area).
-- Every place of the level appears (zeros when it has no data); the estimate of an area is the sum
-- of the estimates of its desa that have one (NULL when none has). estimate_desa / desa_total say
-- how many of the area's desa that sum covers: when some desa lack an estimate, the people
-- counted there have no workers in the denominator, and the area's coverage reads high.
-- estimate_year_min .. estimate_year: the years whose estimates were used (marts.denominators
-- data_year): a year without its own estimate takes the nearest earlier year's, and the pages
-- say so (etl.metrics.estimate_year_note).
WITH places AS (
    SELECT code AS kode, name AS nama
    FROM core.regions
    WHERE level = $level
      AND ($kecamatan IS NULL
           OR ($level = 'desa' AND parent_code = $kecamatan)
           OR ($level = 'kecamatan' AND code = $kecamatan)
           OR $level = 'kabupaten')
      AND ($desa_codes::VARCHAR[] IS NULL OR $level = 'kabupaten'
           OR ($level = 'desa' AND list_contains($desa_codes::VARCHAR[], code))
           OR ($level = 'kecamatan'
               AND code IN (SELECT parent_code FROM core.regions
                            WHERE level = 'desa' AND list_contains($desa_codes::VARCHAR[], code))))
    UNION ALL
    SELECT NULL, 'wilayah tidak diketahui'
    WHERE $with_unknown AND $level <> 'kabupaten' AND $kecamatan IS NULL
      AND $desa_codes::VARCHAR[] IS NULL
      AND EXISTS (SELECT 1 FROM marts.monthly
                  WHERE desa_code IS NULL AND month = $as_of
                    AND (registered > 0 OR enrolled > 0)
                    AND ($sector IS NULL OR sector = $sector))
),
sectors AS (
    SELECT unnest($sectors::VARCHAR[]) AS sektor
),
counts AS (
    SELECT CASE $level WHEN 'desa' THEN m.desa_code
                       WHEN 'kecamatan' THEN m.kecamatan_code
                       ELSE (SELECT code FROM core.regions WHERE level = 'kabupaten') END AS kode,
           CASE WHEN $by_sector THEN m.sector END AS sektor,
           sum(m.registered) AS registered,
           sum(m.verified) AS verified,
           sum(m.enrolled) AS enrolled,
           sum(m.active) AS active,
           sum(m.lapsed) AS lapsed,
           sum(m.other_channel) AS other_channel,
           sum(m.lapse_pending) AS lapse_pending,
           sum(m.other_channel_active) AS other_channel_active
    FROM marts.monthly AS m
    WHERE m.month = $as_of
      AND ($kecamatan IS NULL OR m.kecamatan_code = $kecamatan)
      AND ($sector IS NULL OR m.sector = $sector)
      AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], m.desa_code))
    GROUP BY ALL
),
denominators AS (
    SELECT CASE $level WHEN 'desa' THEN d.desa_code
                       WHEN 'kecamatan' THEN d.kecamatan_code
                       ELSE (SELECT code FROM core.regions WHERE level = 'kabupaten') END AS kode,
           CASE WHEN $by_sector THEN d.sector END AS sektor,
           sum(d.estimated_workers) AS estimated_workers,
           count(DISTINCT d.desa_code) AS estimate_desa,
           min(d.data_year) AS estimate_year_min,
           max(d.data_year) AS estimate_year
    FROM marts.denominators AS d
    -- A year outside marts.denominators (a month before the data's first year) takes the
    -- nearest year it has, so a month before the first event shows zeros with the estimate.
    WHERE d.year = (SELECT least(greatest($year, min(year)), max(year)) FROM marts.denominators)
      AND d.kecamatan_code IS NOT NULL
      AND ($kecamatan IS NULL OR d.kecamatan_code = $kecamatan)
      AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], d.desa_code))
      AND CASE WHEN $by_sector OR $sector IS NOT NULL
               THEN d.sector IS NOT NULL AND ($sector IS NULL OR d.sector = $sector)
               ELSE d.sector IS NULL END
    GROUP BY ALL
),
desa_counts AS (
    SELECT CASE $level WHEN 'desa' THEN code
                       WHEN 'kecamatan' THEN parent_code
                       ELSE (SELECT code FROM core.regions WHERE level = 'kabupaten') END AS kode,
           count(*) AS desa_total
    FROM core.regions
    WHERE level = 'desa' AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], code))
    GROUP BY ALL
)
SELECT p.kode, p.nama, s.sektor,
       e.estimated_workers::BIGINT AS estimated_workers,
       coalesce(c.registered, 0)::BIGINT AS registered,
       coalesce(c.verified, 0)::BIGINT AS verified,
       coalesce(c.enrolled, 0)::BIGINT AS enrolled,
       coalesce(c.active, 0)::BIGINT AS active,
       round(100.0 * coalesce(c.active, 0) / nullif(e.estimated_workers, 0), 1) AS coverage_pct,
       (e.estimated_workers - coalesce(c.active, 0))::BIGINT AS gap,
       coalesce(c.lapsed, 0)::BIGINT AS lapsed,
       coalesce(c.other_channel, 0)::BIGINT AS other_channel,
       coalesce(c.lapse_pending, 0)::BIGINT AS lapse_pending,
       coalesce(c.other_channel_active, 0)::BIGINT AS other_channel_active,
       coalesce(e.estimate_desa, 0)::BIGINT AS estimate_desa,
       e.estimate_year::INTEGER AS estimate_year,
       e.estimate_year_min::INTEGER AS estimate_year_min,
       coalesce(n.desa_total, 0)::BIGINT AS desa_total
FROM places AS p
CROSS JOIN sectors AS s
LEFT JOIN counts AS c ON c.kode IS NOT DISTINCT FROM p.kode
                      AND c.sektor IS NOT DISTINCT FROM s.sektor
LEFT JOIN denominators AS e ON e.kode = p.kode AND e.sektor IS NOT DISTINCT FROM s.sektor
LEFT JOIN desa_counts AS n ON n.kode = p.kode
ORDER BY p.kode NULLS LAST, list_position($sectors::VARCHAR[], s.sektor)
