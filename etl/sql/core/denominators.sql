-- Denominators into core.denominators. Input: den_checked (staging/denominators.sql).
-- Variable: load_id.
--
-- Replace semantics: core.denominators holds ONE current figure per (year, desa_code, sector),
-- sector NULL meaning all sectors of the desa (a key of its own: a per-sector figure never
-- replaces the all-sector one). A new file's figure for a key replaces the stored one
-- (estimates are revised and the latest file is the current estimate); meta.loads keeps which
-- load brought each figure. A figure equal to the stored one (same number and source) is left
-- as it is, so reloading the same content changes nothing.

CREATE OR REPLACE TEMP TABLE den_new AS
SELECT DISTINCT ON (year, desa_code, sector) year, desa_code, sector, estimated_workers, source
FROM den_checked
WHERE reason_code IS NULL
ORDER BY year, desa_code, sector, _row DESC;

CREATE OR REPLACE TEMP TABLE den_replaced AS
SELECT d.*
FROM core.denominators AS d
JOIN den_new AS n
  ON d.year = n.year AND d.desa_code = n.desa_code AND d.sector IS NOT DISTINCT FROM n.sector
WHERE d.estimated_workers <> n.estimated_workers OR d.source IS DISTINCT FROM n.source;

DELETE FROM core.denominators AS d
WHERE EXISTS (SELECT 1 FROM den_replaced AS r
              WHERE r.year = d.year AND r.desa_code = d.desa_code
                AND r.sector IS NOT DISTINCT FROM d.sector);

INSERT INTO core.denominators
SELECT getvariable('load_id'), n.year, n.desa_code, n.sector, n.estimated_workers, n.source
FROM den_new AS n
WHERE NOT EXISTS (SELECT 1 FROM core.denominators AS d
                  WHERE d.year = n.year AND d.desa_code = n.desa_code
                    AND d.sector IS NOT DISTINCT FROM n.sector);
