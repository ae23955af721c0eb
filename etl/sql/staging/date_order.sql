-- Which comes first in this file's numeric dates, the day or the month? A spreadsheet writes
-- every date column of a file in one locale (a Google Sheet in an Indonesian locale writes the
-- timestamp and the date answers dd/mm/yyyy, one in an English locale mm/dd/yyyy), so the
-- evidence of all date columns is weighed together (etl.loaders.common.decide_date_order).
-- A first number above 12 can only be a day (day first); a second number above 12 can only be
-- a day too (month first). ISO dates and named months carry no evidence.
-- Timestamps are nearly all distinct but their dates are not: the date part (the first 10
-- characters, with room for leading spaces) is grouped first, so the pattern is matched once per distinct date.
-- Input : temp view date_texts (what = the field, _row, value).
-- Output: temp table date_evidence (what, day_first, day_first_row, month_first,
--         month_first_row): counts of rows of each kind and the first row showing it.
CREATE OR REPLACE TEMP TABLE date_evidence AS
WITH heads AS (
    SELECT what, left(value, 12) AS head, count(*) AS n, min(_row) AS first_row
    FROM date_texts
    WHERE value IS NOT NULL
    GROUP BY ALL
),
parts AS (
    SELECT what, n, first_row,
           TRY_CAST(regexp_extract(head, '^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{4}', 1)
                    AS INTEGER) AS a,
           TRY_CAST(regexp_extract(head, '^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{4}', 2)
                    AS INTEGER) AS b
    FROM heads
)
SELECT what,
       coalesce(sum(n) FILTER (WHERE a > 12 AND b BETWEEN 1 AND 12), 0) AS day_first,
       min(first_row) FILTER (WHERE a > 12 AND b BETWEEN 1 AND 12) AS day_first_row,
       coalesce(sum(n) FILTER (WHERE b > 12 AND a BETWEEN 1 AND 12), 0) AS month_first,
       min(first_row) FILTER (WHERE b > 12 AND a BETWEEN 1 AND 12) AS month_first_row
FROM parts
GROUP BY what;
