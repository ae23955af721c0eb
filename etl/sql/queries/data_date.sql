-- The freshest data: the latest event date in the data (submission, verification decision,
-- enrolment, and a paid-through month that is not after the day it was loaded), and the time of
-- the latest load. The load time alone is not a data date: an old export loaded today is old data.
WITH member_paid AS (
    SELECT max(m.paid_through) AS d
    FROM core.members AS m JOIN meta.loads AS l USING (load_id)
    WHERE m.paid_through <= l.loaded_at::DATE
)
SELECT greatest(
           (SELECT max(submitted_at)::DATE FROM core.registrations),
           (SELECT max(decided_on) FROM core.verifications),
           (SELECT max(enrolled_on) FROM core.members),
           (SELECT d FROM member_paid)) AS data_date,
       (SELECT max(loaded_at) FROM meta.loads) AS loaded_at
