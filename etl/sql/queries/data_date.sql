-- The freshness of the data: its last day (marts.data_span: the latest submission, decision,
-- enrolment or membership export date) and the time of the latest load. The load time alone is
-- not a data date: an old export loaded today is old data.
SELECT (SELECT last_day FROM marts.data_span) AS data_date,
       (SELECT max(loaded_at) FROM meta.loads) AS loaded_at
