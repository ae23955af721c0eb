-- Occupation texts no keyword recognises (marts.occupations.keyword NULL), with the number of
-- form registrants whose current text it is: counted as 'lainnya' until an office adds a keyword
-- (<config dir>/sector_keywords.toml, see etl/sector_keywords.toml).
-- The current text is the newest submission's (as core.participants defines it), computed only
-- for people who ever wrote an unmapped text: anyone whose current text is unmapped is among
-- them, and on millions of registrations this avoids grouping every person (issue 16).
WITH unmapped AS (
    SELECT occupation_text FROM marts.occupations WHERE keyword IS NULL
),
candidates AS (
    SELECT DISTINCT person_key FROM core.registrations
    WHERE occupation_text IN (SELECT occupation_text FROM unmapped)
),
current_text AS (
    SELECT r.person_key, arg_max(r.occupation_text, r.submitted_at) AS occupation_text
    FROM core.registrations AS r
    WHERE r.person_key IN (SELECT person_key FROM candidates)
    GROUP BY r.person_key
)
SELECT c.occupation_text, count(*)::INTEGER AS people
FROM current_text AS c
WHERE c.occupation_text IN (SELECT occupation_text FROM unmapped)
GROUP BY ALL
ORDER BY people DESC, c.occupation_text
