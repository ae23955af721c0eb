-- marts.monthly: month x desa x sector, cumulative funnel counts at the end of each month.
-- Grain and size: one row per (desa, sector) that has anyone, for every month from that pair's
-- first event to the data's last month (marts.data_span: the latest submission, decision,
-- enrolment or membership export date; future paid_through months do not extend it). Rows are
-- sorted by month so that "WHERE month = ?" reads only one month's blocks.
-- Counts (see marts.people for the dates): registered, verified, rejected, enrolled, lapsed are
-- people who reached the step by the month end; active = enrolled - lapsed, which is
-- marts.is_active (05_data_span.sql) counted per place: a lapse counts from
-- marts.counted_lapse_month, so in the provisional month the payments not yet recorded are
-- lapse_pending (still active), not lapsed; other_channel = enrolled people who never registered through the form (they are in
-- registered, verified and enrolled too); new_* are the month's increments.
-- Only people placed in a desa of core.regions count; see metrics.unplaced for the others.

CREATE OR REPLACE TABLE marts.monthly AS
WITH placed AS (
    SELECT kecamatan_code, desa_code, sector, channel,
           reg_month, ver_month, rej_month, enr_month, lapse_month
    FROM marts.people
    WHERE placed
),
events AS (
    SELECT kecamatan_code, desa_code, sector, e.month, e.step
    FROM (SELECT kecamatan_code, desa_code, sector,
                 unnest([{'month': reg_month, 'step': 'registered'},
                         {'month': ver_month, 'step': 'verified'},
                         {'month': rej_month, 'step': 'rejected'},
                         {'month': enr_month, 'step': 'enrolled'},
                         {'month': marts.counted_lapse_month(lapse_month), 'step': 'lapsed'},
                         {'month': CASE WHEN marts.counted_lapse_month(lapse_month) IS NULL
                                        THEN lapse_month END, 'step': 'lapse_pending'},
                         {'month': CASE WHEN channel = 'lain' THEN enr_month END,
                          'step': 'other_channel'}]) AS e
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
           count(*) FILTER (WHERE step = 'other_channel')::INTEGER AS new_other_channel
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
           coalesce(d.new_other_channel, 0) AS new_other_channel
    FROM grid AS g
    LEFT JOIN deltas AS d USING (kecamatan_code, desa_code, sector, month)
),
cumulative AS (
    SELECT f.*,
           sum(new_registered) OVER w AS registered,
           sum(new_verified) OVER w AS verified,
           sum(new_rejected) OVER w AS rejected,
           sum(new_enrolled) OVER w AS enrolled,
           sum(new_lapsed) OVER w AS lapsed,
           sum(new_lapse_pending) OVER w AS lapse_pending,
           sum(new_other_channel) OVER w AS other_channel
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
       new_registered, new_verified, new_rejected, new_enrolled, new_lapsed
FROM cumulative
ORDER BY month, desa_code, sector;
