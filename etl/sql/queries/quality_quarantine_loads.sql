-- The rows quality_quarantine_rows lists, counted per load and by whether the load is the newest
-- of its kind (its in_latest_file), without reading their original values: the totals, the
-- page's "Muatan" choices and the row count of each choice. No parameters.
SELECT q.load_id,
       q.load_id = (SELECT max(l.load_id) FROM meta.loads AS l WHERE l.kind = q.kind)
           AS in_latest_file,
       count(*)::INTEGER AS rows
FROM meta.quarantine_latest AS q
GROUP BY ALL
ORDER BY q.load_id DESC
