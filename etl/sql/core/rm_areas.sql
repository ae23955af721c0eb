-- RM areas into core.rm_areas. Input: rm_checked (staging/rm_areas.sql). Variable: load_id.
--
-- Replace semantics (the latest file decides, one RM per desa at a time):
-- * an RM listed in the file gets exactly the desa listed for it in this file: its earlier
--   desa that are not listed leave its area (the file gives the RM's WHOLE area);
-- * a desa listed in the file moves to the RM it is listed under, leaving any other RM;
-- * RMs not in the file keep their areas.
-- The RM's name is the last non-empty NAMA_RM of the file (kept when the file has none).
-- Rows equal to the stored ones are left as they are, so the same content changes nothing.

CREATE OR REPLACE TEMP TABLE rm_new AS
SELECT DISTINCT rm_id, desa_code FROM rm_checked WHERE reason_code IS NULL;

CREATE OR REPLACE TEMP TABLE rm_names AS
SELECT n.rm_id,
       coalesce(f.rm_name, (SELECT max(a.rm_name) FROM core.rm_areas AS a
                            WHERE a.rm_id = n.rm_id)) AS rm_name
FROM (SELECT DISTINCT rm_id FROM rm_new) AS n
LEFT JOIN (SELECT rm_id, arg_max(rm_name, _row) AS rm_name FROM rm_checked
           WHERE reason_code IS NULL AND rm_name IS NOT NULL GROUP BY 1) AS f USING (rm_id);

CREATE OR REPLACE TEMP TABLE rm_removed AS
SELECT a.*
FROM core.rm_areas AS a
WHERE (a.rm_id IN (SELECT rm_id FROM rm_new) OR a.desa_code IN (SELECT desa_code FROM rm_new))
  AND NOT EXISTS (SELECT 1 FROM rm_new AS n JOIN rm_names AS m USING (rm_id)
                  WHERE n.rm_id = a.rm_id AND n.desa_code = a.desa_code
                    AND m.rm_name IS NOT DISTINCT FROM a.rm_name);

DELETE FROM core.rm_areas AS a
WHERE EXISTS (SELECT 1 FROM rm_removed AS r
              WHERE r.rm_id = a.rm_id AND r.desa_code = a.desa_code);

INSERT INTO core.rm_areas
SELECT getvariable('load_id'), n.rm_id, m.rm_name, n.desa_code
FROM rm_new AS n JOIN rm_names AS m USING (rm_id)
WHERE NOT EXISTS (SELECT 1 FROM core.rm_areas AS a
                  WHERE a.rm_id = n.rm_id AND a.desa_code = n.desa_code);
