-- The cumulative funnel per month (every month of the data, zeros before the first event of the
-- places asked for). Parameters: $kecamatan (code or NULL), $sector (code or NULL),
-- $desa_codes (VARCHAR[] or NULL: only those desa, e.g. an RM's area; NULL = no limit; people
-- without a desa are in no such list).
WITH all_months AS (
    SELECT DISTINCT month FROM marts.monthly
),
sums AS (
    SELECT month,
           sum(registered) AS registered, sum(verified) AS verified,
           sum(rejected) AS rejected, sum(enrolled) AS enrolled, sum(active) AS active,
           sum(lapsed) AS lapsed, sum(other_channel) AS other_channel,
           sum(lapse_pending) AS lapse_pending,
           sum(other_channel_active) AS other_channel_active,
           sum(new_registered) AS new_registered, sum(new_verified) AS new_verified,
           sum(new_enrolled) AS new_enrolled
    FROM marts.monthly
    WHERE ($kecamatan IS NULL OR kecamatan_code = $kecamatan)
      AND ($sector IS NULL OR sector = $sector)
      AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], desa_code))
    GROUP BY month
)
SELECT strftime(a.month, '%Y-%m') AS month,
       coalesce(s.registered, 0)::BIGINT AS registered,
       coalesce(s.verified, 0)::BIGINT AS verified,
       coalesce(s.enrolled, 0)::BIGINT AS enrolled,
       coalesce(s.active, 0)::BIGINT AS active,
       coalesce(s.new_registered, 0)::BIGINT AS new_registered,
       coalesce(s.new_enrolled, 0)::BIGINT AS new_enrolled,
       coalesce(s.new_verified, 0)::BIGINT AS new_verified,
       coalesce(s.rejected, 0)::BIGINT AS rejected,
       coalesce(s.lapsed, 0)::BIGINT AS lapsed,
       coalesce(s.other_channel, 0)::BIGINT AS other_channel,
       coalesce(s.lapse_pending, 0)::BIGINT AS lapse_pending,
       coalesce(s.other_channel_active, 0)::BIGINT AS other_channel_active
FROM all_months AS a
LEFT JOIN sums AS s USING (month)
ORDER BY a.month
