-- Public page: active participants at the end of month $as_of by sector and sex (aggregates only;
-- reads marts.people, never private.*). Everyone active counts, a member whose desa is unknown
-- included (the kabupaten's total is complete); "active" is marts.is_active, the one definition.
-- sex: 'L', 'P', or '?' when not recorded (members who never used the form).
SELECT sector, coalesce(sex, '?') AS sex, count(*)::INTEGER AS active
FROM marts.people
WHERE marts.is_active(enr_month, lapse_month, $as_of)
GROUP BY ALL
ORDER BY ALL
