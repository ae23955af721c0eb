-- Claims into core.claims. Input: clm_accepted (staging/claims.sql). Variable: load_id.
--
-- Claims files carry no claim id, exports are often cumulative, and two different claims can
-- look exactly alike (JKM pays a fixed Rp42 juta: without an NIK, two deaths in one desa paid
-- the same day are identical rows). So identical rows are counted, not collapsed: a file with
-- n identical rows (same desa, program, date, amount, person) where the database already has m
-- adds n - m of them when n > m. Reloading an overlapping export changes nothing; genuine
-- repeats within one file are all kept.

INSERT INTO core.claims (load_id, row_number, desa_code, program, paid_on, amount, person_key)
SELECT getvariable('load_id'), a._row, a.desa_code, a.program, a.paid_on, a.amount, a.person_key
FROM (SELECT *, row_number() OVER (PARTITION BY desa_code, program, paid_on, amount, person_key
                                   ORDER BY _row) AS nth
      FROM clm_accepted) AS a
LEFT JOIN (SELECT desa_code, program, paid_on, amount, person_key, count(*) AS n
           FROM core.claims GROUP BY ALL) AS s
    ON s.desa_code = a.desa_code AND s.program = a.program AND s.paid_on = a.paid_on
   AND s.amount = a.amount AND s.person_key IS NOT DISTINCT FROM a.person_key
WHERE a.nth > coalesce(s.n, 0);
