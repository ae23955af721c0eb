-- Loads history for the data-quality page, newest first. No parameters.
SELECT load_id, kind, source_file, loaded_at, rows_read, accepted, quarantined, duplicates,
       left(file_sha256, 12) AS file_sha256_short
FROM meta.loads
ORDER BY load_id DESC
