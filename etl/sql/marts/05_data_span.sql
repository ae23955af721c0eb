-- marts.data_span: which months the data can answer, and THE definition of "active".
--
-- The data's last day is the latest of: a form submission, a verification decision, an
-- enrolment, and the date of the latest membership export (the day its paid-through months are
-- known at: the load's --date, else the file's TANGGAL_DATA or a date in its name, else the day
-- of the load; recorded in meta.loads.details.export_date by etl/loaders/members.py; a load made
-- before that was recorded counts at its load day). An export whose premiums are paid through
-- December says who is active in every month up to its date, even when the last enrolment was
-- in January, so it extends the data to its month.
--   first_month       the month of the earliest submission, decision or enrolment;
--   last_month        the month of last_day: no month after it can be answered (etl.metrics
--                     refuses one);
--   provisional_month last_month when last_day is not its last day (the month is still running:
--                     "sementara, s.d. <last_day>"), else NULL;
--   default_month     the latest complete month (the one a page opens on), or last_month when
--                     the data has no complete month yet.
-- One row, NULLs when nothing is loaded.

CREATE OR REPLACE TABLE marts.data_span AS
WITH exports AS (
    SELECT coalesce(TRY_CAST(details->>'export_date' AS DATE), loaded_at::DATE) AS export_date,
           coalesce(details->>'export_date_source', 'load_day') AS export_source
    FROM meta.loads
    WHERE kind = 'members'
    QUALIFY row_number() OVER (ORDER BY export_date DESC, load_id DESC) = 1
),
events AS (
    SELECT (SELECT max(submitted_at)::DATE FROM core.registrations) AS last_submission,
           (SELECT max(decided_on) FROM core.verifications) AS last_decision,
           (SELECT max(enrolled_on) FROM core.members) AS last_enrolment,
           (SELECT export_date FROM exports) AS export_date,
           (SELECT export_source FROM exports) AS export_source,
           least((SELECT min(submitted_at)::DATE FROM core.registrations),
                 (SELECT min(decided_on) FROM core.verifications),
                 (SELECT min(enrolled_on) FROM core.members)) AS first_day
),
span AS (
    SELECT *,
           greatest(last_submission, last_decision, last_enrolment, export_date) AS last_day
    FROM events
)
SELECT date_trunc('month', first_day)::DATE AS first_month,
       date_trunc('month', last_day)::DATE AS last_month,
       last_day,
       CASE WHEN last_day < last_day(last_day) THEN date_trunc('month', last_day)::DATE
            END AS provisional_month,
       CASE WHEN last_day = last_day(last_day)
                 OR date_trunc('month', last_day) <= date_trunc('month', first_day)
            THEN date_trunc('month', last_day)::DATE
            ELSE (date_trunc('month', last_day) - INTERVAL 1 MONTH)::DATE END AS default_month,
       last_submission, last_decision, last_enrolment, export_date, export_source
FROM span;

-- THE definition of active, used by every query that counts active people (marts.monthly, the
-- public queries in dashboard/queries): enrolled by the end of `month` and not lapsed by then.
-- lapse_month (marts.people) is the first month not paid. In the provisional month a premium
-- not yet recorded for that month is not a lapse yet: the people whose payment stops just
-- before it are still counted active there (and listed apart as lapse_pending by the monthly
-- mart), so a running month never presents its lapses as final.
CREATE OR REPLACE MACRO marts.counted_lapse_month(lapse_month) AS
    CASE WHEN lapse_month IS NOT DISTINCT FROM (SELECT provisional_month FROM marts.data_span)
         THEN NULL ELSE lapse_month END;

CREATE OR REPLACE MACRO marts.is_active(enr_month, lapse_month, month) AS
    coalesce(enr_month <= month
             AND coalesce(marts.counted_lapse_month(lapse_month) > month, true), false);
