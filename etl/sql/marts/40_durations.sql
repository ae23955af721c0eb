-- marts.durations: how long form registrants spent at each step, as a histogram of whole days per
-- desa x sector x month (the month the step ended), so medians for any filter and month are
-- read from a few thousand rows (desa, so an RM's area of some desa has its own medians) instead of every person (metrics.funnel).
-- step 'verify': first submission -> a 'verified' latest decision (decision not before it).
-- step 'enrol' : that decision -> enrolment (enrolment not before it).
-- Only people placed in a desa of core.regions.

CREATE OR REPLACE TABLE marts.durations AS
SELECT kecamatan_code, desa_code, sector, month, step, days, count(*)::INTEGER AS people
FROM (
    SELECT kecamatan_code, desa_code, sector,
           date_trunc('month', verification_date)::DATE AS month, 'verify' AS step,
           (verification_date - registered_on)::INTEGER AS days
    FROM marts.people
    WHERE channel = 'formulir' AND placed AND verification_status = 'verified'
      AND verification_date >= registered_on
    UNION ALL
    SELECT kecamatan_code, desa_code, sector, date_trunc('month', enrolled_on)::DATE, 'enrol',
           (enrolled_on - verification_date)::INTEGER
    FROM marts.people
    WHERE channel = 'formulir' AND placed AND verification_status = 'verified'
      AND enrolled_on >= verification_date) AS steps
GROUP BY ALL
ORDER BY month, kecamatan_code, desa_code, sector, step, days;
