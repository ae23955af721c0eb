-- Median days spent at each step of the form channel, for steps completed by the month end, from
-- the histogram marts.durations (see etl/sql/marts/40_durations.sql for the steps).
-- The median of n values is the mean of the values at ranks (n+1)//2 and n//2+1.
-- Parameters: $as_of (DATE, first of month), $kecamatan (code or NULL), $sector (code or NULL),
-- $desa_codes (VARCHAR[] or NULL: only those desa, e.g. an RM's area; NULL = no limit; people
-- without a desa are in no such list).
WITH histogram AS (
    SELECT step, days, sum(people) AS people
    FROM marts.durations
    WHERE month <= $as_of
      AND ($kecamatan IS NULL OR kecamatan_code = $kecamatan)
      AND ($sector IS NULL OR sector = $sector)
      AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], desa_code))
    GROUP BY step, days
),
ranked AS (
    SELECT step, days,
           sum(people) OVER (PARTITION BY step ORDER BY days) AS reached,
           sum(people) OVER (PARTITION BY step) AS total
    FROM histogram
),
medians AS (
    SELECT step,
           (min(days) FILTER (WHERE reached >= (total + 1) // 2)
            + min(days) FILTER (WHERE reached >= total // 2 + 1)) / 2.0 AS median_days
    FROM ranked
    GROUP BY step
)
SELECT (SELECT median_days FROM medians WHERE step = 'verify') AS median_days_to_verify,
       (SELECT median_days FROM medians WHERE step = 'enrol') AS median_days_to_enrol
