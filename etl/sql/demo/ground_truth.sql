-- The demo's ground truth (etl.demo.figures.headline_figures): what was generated, counted from
-- the loaded tables, for calibration checks in the tests. $month is the reference month.
-- Current membership is core.current_members and active is marts.is_active over marts.people,
-- the one definition every query reads.
SELECT
    (SELECT count(*) FROM core.participants) AS participants,
    (SELECT count(*) FROM core.registrations) AS registration_rows,
    (SELECT count(*) FROM meta.quarantine) AS quarantined,
    (SELECT count(DISTINCT desa_code) FROM core.participants) AS desa_with_participants,
    (SELECT count(*) FROM (SELECT person_key, arg_max(status, decided_on) AS s
                           FROM core.verifications GROUP BY 1) WHERE s = 'verified') AS verified,
    (SELECT count(*) FROM core.current_members) AS members,
    (SELECT count(*) FROM marts.people
     WHERE marts.is_active(enr_month, lapse_month, $month)) AS active_now,
    (SELECT count(*) FROM core.current_members
     WHERE enrolled_on < DATE '2025-11-01') AS members_oct_2025,
    (SELECT count(*) FROM marts.people
     WHERE marts.is_active(enr_month, lapse_month, DATE '2025-10-01')) AS active_oct_2025,
    (SELECT count(*) FROM core.current_members
     WHERE enrolled_on <= DATE '2023-12-31') AS members_end_2023,
    (SELECT count(*) FROM core.current_members
     WHERE enrolled_on <= DATE '2024-04-30') AS members_apr_2024,
    (SELECT sum(estimated_workers) FROM core.denominators WHERE sector IS NULL
     AND year = (SELECT max(year) FROM core.denominators)) AS estimated_workers,
    (SELECT count(*) FROM core.claims WHERE program = 'JKM') AS jkm_claims,
    (SELECT count(*) FROM core.boundaries) AS boundaries
