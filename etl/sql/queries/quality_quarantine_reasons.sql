-- Quarantined rows per load kind and reason code (the Indonesian text is added in Python from
-- etl/reasons.py). No parameters.
SELECT kind, reason_code, count(*)::INTEGER AS rows
FROM meta.quarantine
GROUP BY ALL
ORDER BY rows DESC, kind, reason_code
