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

CREATE OR REPLACE TABLE marts.monthly AS
WITH placed AS (
    SELECT CASE WHEN placed THEN kecamatan_code END AS kecamatan_code,
           CASE WHEN placed THEN desa_code END AS desa_code,
           sector, channel, reg_month, ver_month, rej_month, enr_month, lapse_month
    FROM marts.people
),
events AS (
    SELECT kecamatan_code, desa_code, sector, e.month, e.step
    FROM (SELECT kecamatan_code, desa_code, sector,
                 unnest([{'month': CASE WHEN channel = 'formulir' THEN reg_month END,
                          'step': 'registered'},
                         {'month': CASE WHEN channel = 'formulir' THEN ver_month END,
                          'step': 'verified'},
                         {'month': rej_month, 'step': 'rejected'},
                         {'month': enr_month, 'step': 'enrolled'},
                         {'month': marts.counted_lapse_month(lapse_month), 'step': 'lapsed'},
                         {'month': CASE WHEN marts.counted_lapse_month(lapse_month) IS NULL
                                        THEN lapse_month END, 'step': 'lapse_pending'},
                         {'month': CASE WHEN channel = 'lain' THEN enr_month END,
                          'step': 'other_channel'},
                         {'month': CASE WHEN channel = 'lain'
                                        THEN marts.counted_lapse_month(lapse_month) END,
                          'step': 'other_lapsed'}]) AS e
          FROM placed) AS steps
    WHERE e.month IS NOT NULL
),
deltas AS (
    SELECT kecamatan_code, desa_code, sector, month,
           count(*) FILTER (WHERE step = 'registered')::INTEGER AS new_registered,
           count(*) FILTER (WHERE step = 'verified')::INTEGER AS new_verified,
           count(*) FILTER (WHERE step = 'rejected')::INTEGER AS new_rejected,
           count(*) FILTER (WHERE step = 'enrolled')::INTEGER AS new_enrolled,
           count(*) FILTER (WHERE step = 'lapsed')::INTEGER AS new_lapsed,
           count(*) FILTER (WHERE step = 'lapse_pending')::INTEGER AS new_lapse_pending,
           count(*) FILTER (WHERE step = 'other_channel')::INTEGER AS new_other_channel,
           count(*) FILTER (WHERE step = 'other_lapsed')::INTEGER AS new_other_lapsed
    FROM events
    GROUP BY ALL
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
