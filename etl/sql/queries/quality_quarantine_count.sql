-- The number of rows quality_quarantine_rows lists for all loads (each distinct rejected row
-- once), counted without reading their original values. No parameters.
SELECT count(*)::INTEGER AS rows FROM meta.quarantine_latest
