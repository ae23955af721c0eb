-- Median days spent at each step of the form channel, for steps completed by the month end.
-- days to verify: first submission -> a 'verified' decision (people with such a decision).
-- days to enrol : that decision -> enrolment (people with both, enrolment not before it).
-- Parameters: $as_of (DATE, first of month), $kecamatan (code or NULL), $sector (code or NULL).
SELECT
    median(verification_date - registered_on) FILTER (
        WHERE verification_status = 'verified' AND verification_date >= registered_on
          AND verification_date < $as_of + INTERVAL 1 MONTH) AS median_days_to_verify,
    median(enrolled_on - verification_date) FILTER (
        WHERE verification_status = 'verified' AND enrolled_on >= verification_date
          AND enrolled_on < $as_of + INTERVAL 1 MONTH) AS median_days_to_enrol
FROM marts.people
WHERE channel = 'formulir' AND placed
  AND ($kecamatan IS NULL OR kecamatan_code = $kecamatan)
  AND ($sector IS NULL OR sector = $sector)
