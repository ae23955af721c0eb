-- Verification decisions into core.verifications.
-- Input: temp table ver_accepted (staging/verification.sql). Variable: load_id.
--
-- Lists are often cumulative (each new list repeats the earlier decisions): a decision already
-- stored (same person, status, date and reason) is not stored again, and the same decision
-- repeated within one file is stored once, so an overlapping list changes nothing twice.
-- The CURRENT decision of a person is the latest by (decided_on, load_id, row_number): a later
-- decision overrides an earlier one (a rejected person may be verified after fixing the data);
-- on the same day the later load, then the later row of the file, wins.

INSERT INTO core.verifications
SELECT DISTINCT ON (person_key, status, decided_on, reason)
    getvariable('load_id'), _row, person_key, nik_masked, status, reason, decided_on
FROM ver_accepted AS a
WHERE NOT EXISTS (SELECT 1 FROM core.verifications AS v
                  WHERE v.person_key = a.person_key AND v.status = a.status
                    AND v.decided_on = a.decided_on AND v.reason IS NOT DISTINCT FROM a.reason)
ORDER BY person_key, status, decided_on, reason, _row DESC;
