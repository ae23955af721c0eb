-- Public page: by funding group, active participants at the end of month $as_of (marts.is_active,
-- the one definition) and member-months of cover paid (every month from the enrolment month up
-- to the last month paid, counted up to $as_of; months paid in advance beyond the data month are
-- not counted), in the year of $as_of ($year_start .. $as_of) and since the start. Funding
-- groups: APBD, APBDES, LAINNYA (CSR, self-paid, other). Aggregates only, from marts.people;
-- everyone counts, a member whose desa is unknown included.
WITH members AS (
    SELECT CASE WHEN funding_source IN ('APBD', 'APBDES') THEN funding_source
                ELSE 'LAINNYA' END AS funding,
           enr_month,
           marts.is_active(enr_month, lapse_month, $as_of) AS active,
           least(coalesce(marts.counted_lapse_month(lapse_month),
                          ($as_of + INTERVAL 1 MONTH)::DATE),
                 ($as_of + INTERVAL 1 MONTH)::DATE) AS cover_end
    FROM marts.people
    WHERE enr_month IS NOT NULL AND enr_month <= $as_of
)
SELECT funding,
       count(*) FILTER (WHERE active)::INTEGER AS active,
       sum(greatest(0, datediff('month', greatest(enr_month, $year_start), cover_end)))::BIGINT
           AS member_months_year,
       sum(greatest(0, datediff('month', enr_month, cover_end)))::BIGINT AS member_months_total
FROM members
GROUP BY funding
ORDER BY funding
