-- Public page: benefits paid (core.claims) by program and year, up to the end of month $as_of:
-- number of claims and rupiah. Kabupaten level only: a claim by desa could point at one family.
SELECT program, year(paid_on)::INTEGER AS year, count(*)::INTEGER AS claims,
       sum(amount)::BIGINT AS amount
FROM core.claims
WHERE paid_on < ($as_of + INTERVAL 1 MONTH)::DATE
GROUP BY ALL
ORDER BY ALL
