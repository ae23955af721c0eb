-- Funnel counts at the end of one month, summed over the places and sector asked for.
-- Parameters: $as_of (DATE, first of month), $kecamatan (code or NULL), $sector (code or NULL),
-- $desa_codes (VARCHAR[] or NULL: only those desa, e.g. an RM's area; NULL = no limit; people
-- without a desa are in no such list).
SELECT coalesce(sum(registered), 0)::BIGINT AS submitted,
       coalesce(sum(verified), 0)::BIGINT AS verified,
       coalesce(sum(rejected), 0)::BIGINT AS rejected,
       coalesce(sum(enrolled), 0)::BIGINT AS enrolled,
       coalesce(sum(active), 0)::BIGINT AS active,
       coalesce(sum(lapsed), 0)::BIGINT AS lapsed,
       coalesce(sum(other_channel), 0)::BIGINT AS other_channel,
       coalesce(sum(lapse_pending), 0)::BIGINT AS lapse_pending,
       coalesce(sum(other_channel_active), 0)::BIGINT AS other_channel_active
FROM marts.monthly
WHERE month = $as_of
  AND ($kecamatan IS NULL OR kecamatan_code = $kecamatan)
  AND ($sector IS NULL OR sector = $sector)
  AND ($desa_codes::VARCHAR[] IS NULL OR list_contains($desa_codes::VARCHAR[], desa_code))
