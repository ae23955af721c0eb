-- BPJS membership rows into core.members (history) and their names into private.contacts.
-- Input: temp table mem_accepted (staging/members.sql). Variable: load_id.
--
-- core.members keeps history: every export adds the rows that differ from what is current.
-- The CURRENT membership of a person is defined once, by the view core.current_members
-- (schema.sql): the latest export that lists the person replaces what earlier exports said,
-- and within one file the last row of the person wins; a person missing from a later export
-- keeps the earlier row (exports may be partial). Every query reads it from that view. A row equal to the person's current row is not stored again, so a cumulative export loaded
-- month after month adds only what changed (premium paid further, programs, funding).

CREATE OR REPLACE TEMP TABLE mem_current AS
SELECT * FROM core.current_members;

INSERT INTO core.members
SELECT getvariable('load_id'), a._row, a.person_key, a.nik_masked, a.kpj, a.enrolled_on,
       a.programs, a.funding_source, a.paid_through, a.desa_code
FROM (SELECT * FROM mem_accepted
      QUALIFY row_number() OVER (PARTITION BY person_key ORDER BY _row DESC) = 1) AS a
LEFT JOIN mem_current AS c ON c.person_key = a.person_key
WHERE c.person_key IS NULL
   OR c.kpj IS DISTINCT FROM a.kpj OR c.enrolled_on IS DISTINCT FROM a.enrolled_on
   OR c.programs IS DISTINCT FROM a.programs OR c.funding_source IS DISTINCT FROM a.funding_source
   OR c.paid_through IS DISTINCT FROM a.paid_through OR c.desa_code IS DISTINCT FROM a.desa_code;

-- The export's name is personal data: it goes only to private.contacts (source 'bpjs'); the
-- view private.persons prefers the registration form's contact data whenever there is some.
INSERT INTO private.contacts
SELECT person_key, nik, NULL, full_name, NULL, NULL, 'bpjs', getvariable('load_id')
FROM (SELECT * FROM mem_accepted
      QUALIFY row_number() OVER (PARTITION BY person_key ORDER BY _row DESC) = 1) AS a
WHERE NOT EXISTS (SELECT 1 FROM private.contacts AS p
                  WHERE p.person_key = a.person_key AND p.source = 'formulir');
