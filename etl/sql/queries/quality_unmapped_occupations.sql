-- Occupation texts no keyword recognises (marts.occupations.keyword NULL), with the number of
-- form registrants whose current text it is: counted as 'lainnya' until an office adds a keyword
-- (<config dir>/sector_keywords.toml, see etl/sector_keywords.toml).
SELECT o.occupation_text, count(*)::INTEGER AS people
FROM core.participants AS p
JOIN marts.occupations AS o ON o.occupation_text = p.occupation_text
WHERE o.keyword IS NULL
GROUP BY ALL
ORDER BY people DESC, o.occupation_text
