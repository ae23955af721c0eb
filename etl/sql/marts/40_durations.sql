-- marts.durations: how long form registrants spent at each step, as a histogram of whole days per
-- desa x sector x month (the month the step ended), so medians for any filter and month are
-- read from a few thousand rows (desa, so an RM's area of some desa has its own medians) instead of every person (metrics.funnel).
-- step 'verify': first submission -> a 'verified' latest decision (decision not before it).
-- step 'enrol' : that decision -> enrolment (enrolment not before it).
-- Only people placed in a desa of core.regions.

-- Like marts.monthly_events, a sum of signed rows (etl/marts.py: mart_source and
-- durations_prior), so an incremental update adds the touched people's new rows and takes away
-- their old ones.
CREATE OR REPLACE TEMP TABLE durations_new AS
SELECT kecamatan_code, desa_code, sector, month, step, days, sum(people)::INTEGER AS people
FROM (
    SELECT * FROM durations_prior
    UNION ALL BY NAME
    SELECT kecamatan_code, desa_code, sector, month, step, days, sum(sign) AS people
    FROM (
        SELECT kecamatan_code, desa_code, sector, sign,
               date_trunc('month', verification_date)::DATE AS month, 'verify' AS step,
               (verification_date - registered_on)::INTEGER AS days
        FROM mart_source
        WHERE channel = 'formulir' AND placed AND verification_status = 'verified'
          AND verification_date >= registered_on
        UNION ALL
        SELECT kecamatan_code, desa_code, sector, sign,
               date_trunc('month', enrolled_on)::DATE, 'enrol',
               (enrolled_on - verification_date)::INTEGER
        FROM mart_source
        WHERE channel = 'formulir' AND placed AND verification_status = 'verified'
          AND enrolled_on >= verification_date) AS steps
    GROUP BY ALL)
GROUP BY ALL
HAVING sum(people) <> 0;

CREATE OR REPLACE TABLE marts.durations AS
SELECT * FROM durations_new
ORDER BY month, kecamatan_code, desa_code, sector, step, days;
