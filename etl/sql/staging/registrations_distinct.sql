-- The distinct values of a registration file that are resolved once per value, not per row:
-- (kecamatan, desa) pairs and occupation texts (in Python: gazetteer and sector mapping) and
-- birth dates (staging/registrations.sql). One scan of the file for all three.
-- Input: temp view reg_input. Output: temp table reg_distinct (what, ..., n = rows).
CREATE OR REPLACE TEMP TABLE reg_distinct AS
SELECT CASE GROUPING(kecamatan_raw, desa_raw, occupation_raw, birth_raw)
            WHEN 3 THEN 'place' WHEN 13 THEN 'occupation' ELSE 'birth' END AS what,
       kecamatan_raw, desa_raw, occupation_raw, birth_raw, count(*) AS n
FROM reg_input
GROUP BY GROUPING SETS ((kecamatan_raw, desa_raw), (occupation_raw), (birth_raw));
