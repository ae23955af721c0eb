-- Place names that needed fuzzy matching or did not match, with the closest gazetteer candidates,
-- summed over loads. No parameters.
SELECT method, kecamatan_text, desa_text, kecamatan_code, desa_code,
       max(score) AS score, any_value(candidates) AS candidates,
       sum(row_count)::INTEGER AS rows, max(load_id) AS last_load_id
FROM meta.name_matches
GROUP BY method, kecamatan_text, desa_text, kecamatan_code, desa_code
ORDER BY CASE method WHEN 'unmatched' THEN 0 ELSE 1 END, rows DESC
