-- Public page: active participants at the end of month $as_of by sector and sex (aggregates only;
-- reads marts.people, never private.*). Only people placed in a desa of the kabupaten count, as in
-- etl.metrics. sex: 'L', 'P', or '?' when not recorded (members who never used the form).
SELECT sector, coalesce(sex, '?') AS sex, count(*)::INTEGER AS active
FROM marts.people
WHERE placed AND enr_month <= $as_of AND lapse_month > $as_of
GROUP BY ALL
ORDER BY ALL
