-- marts.monthly: month x desa x sector, cumulative funnel counts at the end of each month.
-- Grain and size: one row per (desa, sector) that has anyone, for every month from that pair's
-- first event to the data's last month (marts.data_span: the latest submission, decision,
-- enrolment or membership export date; future paid_through months do not extend it). Rows are
-- sorted by month so that "WHERE month = ?" reads only one month's blocks.
-- Counts (see marts.people for the dates), people who reached the step by the month end:
--   registered, verified, rejected: form registrants only (the form funnel; a member who never
--       used the form is not a form registrant);
--   enrolled, lapsed, active: every member, whatever the channel (coverage counts them all);
--       active = enrolled - lapsed, which is marts.is_active (05_data_span.sql) counted per
--       place: a lapse counts from marts.counted_lapse_month, so in the provisional month the
--       payments not yet recorded are lapse_pending (still active), not lapsed;
--   other_channel, other_channel_active: members enrolled through another channel (never on
--       the form), and those of them active. The form funnel is registered >= verified >=
--       enrolled - other_channel >= active - other_channel_active.
-- new_* are the month's increments.
-- People whose desa is unknown (members with no registration and no or a foreign KODE_DESA)
-- are rows with desa_code and kecamatan_code NULL: counted in the kabupaten's totals and shown
-- as "wilayah tidak diketahui" beside the places (etl/sql/queries/coverage.sql), never dropped.

-- Built in two steps so that a load touching a few thousand people updates it without reading
-- everyone: marts.monthly_events holds, per (desa, sector, month), how many people reached each
-- step that month, independent of which month is provisional (a lapse is one event; whether it
-- counts as lapsed or lapse_pending is decided below); etl/marts.py gives the temp view
-- mart_source (marts.people's columns and sign: +1 every person in a rebuild; in an incremental
-- update -1 the touched people's old rows, +1 their new ones) and monthly_events_prior (nothing
-- in a rebuild, the current events otherwise), and the sum is the new table, rows of no event left out.
CREATE OR REPLACE TEMP TABLE monthly_events_new AS
WITH placed AS (
    SELECT CASE WHEN placed THEN kecamatan_code END AS kecamatan_code,
           CASE WHEN placed THEN desa_code END AS desa_code,
           sector, channel, reg_month, ver_month, rej_month, enr_month, lapse_month, sign
    FROM mart_source
),
steps AS (
    SELECT kecamatan_code, desa_code, sector, sign, e.month, e.step
    FROM (SELECT kecamatan_code, desa_code, sector, sign,
                 unnest([{'month': CASE WHEN channel = 'formulir' THEN reg_month END,
                          'step': 'registered'},
                         {'month': CASE WHEN channel = 'formulir' THEN ver_month END,
                          'step': 'verified'},
                         {'month': rej_month, 'step': 'rejected'},
                         {'month': enr_month, 'step': 'enrolled'},
                         {'month': lapse_month, 'step': 'lapse'},
                         {'month': CASE WHEN channel = 'lain' THEN enr_month END,
                          'step': 'other_channel'},
                         {'month': CASE WHEN channel = 'lain' THEN lapse_month END,
                          'step': 'other_lapse'}]) AS e
          FROM placed) AS s
    WHERE e.month IS NOT NULL
),
changes AS (
    SELECT kecamatan_code, desa_code, sector, month,
           sum(sign) FILTER (WHERE step = 'registered') AS registered,
           sum(sign) FILTER (WHERE step = 'verified') AS verified,
           sum(sign) FILTER (WHERE step = 'rejected') AS rejected,
           sum(sign) FILTER (WHERE step = 'enrolled') AS enrolled,
           sum(sign) FILTER (WHERE step = 'lapse') AS lapse,
           sum(sign) FILTER (WHERE step = 'other_channel') AS other_channel,
           sum(sign) FILTER (WHERE step = 'other_lapse') AS other_lapse
    FROM steps
    GROUP BY ALL
)
SELECT kecamatan_code, desa_code, sector, month,
       coalesce(sum(registered), 0)::INTEGER AS registered,
       coalesce(sum(verified), 0)::INTEGER AS verified,
       coalesce(sum(rejected), 0)::INTEGER AS rejected,
       coalesce(sum(enrolled), 0)::INTEGER AS enrolled,
       coalesce(sum(lapse), 0)::INTEGER AS lapse,
       coalesce(sum(other_channel), 0)::INTEGER AS other_channel,
       coalesce(sum(other_lapse), 0)::INTEGER AS other_lapse
FROM (SELECT * FROM monthly_events_prior UNION ALL BY NAME SELECT * FROM changes)
GROUP BY ALL
HAVING coalesce(sum(registered), 0) <> 0 OR coalesce(sum(verified), 0) <> 0
    OR coalesce(sum(rejected), 0) <> 0 OR coalesce(sum(enrolled), 0) <> 0
    OR coalesce(sum(lapse), 0) <> 0 OR coalesce(sum(other_channel), 0) <> 0
    OR coalesce(sum(other_lapse), 0) <> 0;

CREATE OR REPLACE TABLE marts.monthly_events AS
SELECT * FROM monthly_events_new ORDER BY month, desa_code, sector;

CREATE OR REPLACE TABLE marts.monthly AS
WITH
-- marts.counted_lapse_month: a lapse in the provisional month is lapse_pending, not lapsed.
deltas AS (
    SELECT e.kecamatan_code, e.desa_code, e.sector, e.month,
           e.registered AS new_registered, e.verified AS new_verified,
           e.rejected AS new_rejected, e.enrolled AS new_enrolled,
           CASE WHEN marts.counted_lapse_month(e.month) IS NULL THEN 0 ELSE e.lapse END
               AS new_lapsed,
           CASE WHEN marts.counted_lapse_month(e.month) IS NULL THEN e.lapse ELSE 0 END
               AS new_lapse_pending,
           e.other_channel AS new_other_channel,
           CASE WHEN marts.counted_lapse_month(e.month) IS NULL THEN 0 ELSE e.other_lapse END
               AS new_other_lapsed
    FROM marts.monthly_events AS e
),
bounds AS (
    SELECT last_month FROM marts.data_span
),
pairs AS (
    SELECT kecamatan_code, desa_code, sector, min(month) AS first_month
    FROM deltas GROUP BY ALL
),
grid AS (
    SELECT p.kecamatan_code, p.desa_code, p.sector,
           unnest(generate_series(p.first_month, b.last_month, INTERVAL 1 MONTH))::DATE AS month
    FROM pairs AS p CROSS JOIN bounds AS b
    WHERE p.first_month <= b.last_month
),
filled AS (
    SELECT g.month, g.kecamatan_code, g.desa_code, g.sector,
           coalesce(d.new_registered, 0) AS new_registered,
           coalesce(d.new_verified, 0) AS new_verified,
           coalesce(d.new_rejected, 0) AS new_rejected,
           coalesce(d.new_enrolled, 0) AS new_enrolled,
           coalesce(d.new_lapsed, 0) AS new_lapsed,
           coalesce(d.new_lapse_pending, 0) AS new_lapse_pending,
           coalesce(d.new_other_channel, 0) AS new_other_channel,
           coalesce(d.new_other_lapsed, 0) AS new_other_lapsed
    FROM grid AS g
    LEFT JOIN deltas AS d
           ON d.month = g.month AND d.sector = g.sector
          AND d.desa_code IS NOT DISTINCT FROM g.desa_code
          AND d.kecamatan_code IS NOT DISTINCT FROM g.kecamatan_code
),
cumulative AS (
    SELECT f.*,
           sum(new_registered) OVER w AS registered,
           sum(new_verified) OVER w AS verified,
           sum(new_rejected) OVER w AS rejected,
           sum(new_enrolled) OVER w AS enrolled,
           sum(new_lapsed) OVER w AS lapsed,
           sum(new_lapse_pending) OVER w AS lapse_pending,
           sum(new_other_channel) OVER w AS other_channel,
           sum(new_other_lapsed) OVER w AS other_lapsed
    FROM filled AS f
    WINDOW w AS (PARTITION BY desa_code, sector ORDER BY month
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT month, kecamatan_code, desa_code, sector,
       registered::INTEGER AS registered,
       verified::INTEGER AS verified,
       rejected::INTEGER AS rejected,
       enrolled::INTEGER AS enrolled,
       (enrolled - lapsed)::INTEGER AS active,
       lapsed::INTEGER AS lapsed,
       lapse_pending::INTEGER AS lapse_pending,
       other_channel::INTEGER AS other_channel,
       (other_channel - other_lapsed)::INTEGER AS other_channel_active,
       new_registered, new_verified, new_rejected, new_enrolled, new_lapsed
FROM cumulative
ORDER BY month, desa_code, sector;
