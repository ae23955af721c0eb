-- Which comes first in this file's slash dates, the month or the day? A Google Sheet in an
-- Indonesian locale exports dd/mm/yyyy, one in an English locale mm/dd/yyyy, and the form's own
-- text says mm/dd/yyyy: the file itself decides when it can. A first number above 12 can only
-- be a day, a second number above 12 only a day too. Evidence one way and none the other
-- decides; no evidence, or evidence both ways, leaves the setting (birth_date_format) in force.
-- Input: temp table reg_distinct (birth dates), temp view reg_input (timestamps).
-- Output: temp table reg_date_order (what, first_over_12, second_over_12, date_order).
CREATE OR REPLACE TEMP TABLE reg_date_order AS
WITH evidence AS (
    SELECT 'birth_date' AS what,
           sum(n) FILTER (WHERE TRY_CAST(split_part(trim(birth_raw), '/', 1) AS INTEGER) > 12
                            AND contains(birth_raw, '/')) AS first_over_12,
           sum(n) FILTER (WHERE TRY_CAST(split_part(trim(birth_raw), '/', 2) AS INTEGER) > 12
                            AND contains(birth_raw, '/')) AS second_over_12
    FROM reg_distinct WHERE what = 'birth'
    UNION ALL
    SELECT 'timestamp',
           count(*) FILTER (WHERE TRY_CAST(split_part(trim(timestamp_raw), '/', 1) AS INTEGER) > 12
                              AND contains(timestamp_raw, '/')),
           count(*) FILTER (WHERE TRY_CAST(split_part(trim(timestamp_raw), '/', 2) AS INTEGER) > 12
                              AND contains(timestamp_raw, '/'))
    FROM reg_input
)
SELECT what, coalesce(first_over_12, 0) AS first_over_12,
       coalesce(second_over_12, 0) AS second_over_12,
       CASE WHEN coalesce(first_over_12, 0) > 0 AND coalesce(second_over_12, 0) = 0 THEN 'dmy'
            WHEN coalesce(second_over_12, 0) > 0 AND coalesce(first_over_12, 0) = 0 THEN 'mdy'
            ELSE getvariable('birth_format') END AS date_order,
       (coalesce(first_over_12, 0) > 0) <> (coalesce(second_over_12, 0) > 0) AS inferred
FROM evidence;
