-- Targets into core.targets. Input: tgt_checked (staging/targets.sql). Variable: load_id.
--
-- Replace semantics: core.targets holds ONE current target per (year, quarter, month, level,
-- code), quarter and month NULL meaning "not quarterly" / "not monthly" (a yearly target and
-- a monthly one are different keys). A new file's number for a key replaces the stored one
-- (targets are revised); meta.loads keeps which load brought each number. A number equal to
-- the stored one is left as it is, so reloading the same content changes nothing.

CREATE OR REPLACE TEMP TABLE tgt_new AS
SELECT DISTINCT ON (year, quarter, month, level, code) year, quarter, month, level, code, target
FROM tgt_checked
WHERE reason_code IS NULL
ORDER BY year, quarter, month, level, code, _row DESC;

CREATE OR REPLACE TEMP TABLE tgt_replaced AS
SELECT t.*
FROM core.targets AS t
JOIN tgt_new AS n
  ON t.year = n.year AND t.quarter IS NOT DISTINCT FROM n.quarter
 AND t.month IS NOT DISTINCT FROM n.month AND t.level = n.level AND t.code = n.code
WHERE t.target <> n.target;

DELETE FROM core.targets AS t
WHERE EXISTS (SELECT 1 FROM tgt_replaced AS r
              WHERE r.year = t.year AND r.quarter IS NOT DISTINCT FROM t.quarter
                AND r.month IS NOT DISTINCT FROM t.month AND r.level = t.level
                AND r.code = t.code);

INSERT INTO core.targets
SELECT getvariable('load_id'), n.year, n.quarter, n.month, n.level, n.code, n.target
FROM tgt_new AS n
WHERE NOT EXISTS (SELECT 1 FROM core.targets AS t
                  WHERE t.year = n.year AND t.quarter IS NOT DISTINCT FROM n.quarter
                    AND t.month IS NOT DISTINCT FROM n.month AND t.level = n.level
                    AND t.code = n.code);
