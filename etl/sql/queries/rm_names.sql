-- Each RM of the RM areas with their name and the desa they serve (one row per RM and desa), for
-- labelling decisions and choosing a decision's owner. No parameters.
SELECT rm_id, max(rm_name) OVER (PARTITION BY rm_id) AS rm_name, desa_code
FROM core.rm_areas
ORDER BY rm_id, desa_code
