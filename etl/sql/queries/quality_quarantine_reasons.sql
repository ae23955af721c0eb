-- Quarantined rows per load kind and reason code (the Indonesian text is added in Python from
-- etl/reasons.py). Each distinct rejected row once
-- (meta.quarantine_latest). No parameters.
SELECT kind, reason_code, count(*)::INTEGER AS rows
FROM meta.quarantine_latest
GROUP BY ALL
ORDER BY rows DESC, kind, reason_code
