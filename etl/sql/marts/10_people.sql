-- marts.people: one row per person known to the programme, whatever the channel.
-- A person is a form participant (core.participants), a BPJS member (core.current_members), or
-- both. No personal data: people are keyed by person_key only.
--
-- Place: the form's desa when the person registered, else the desa of the membership export.
-- Sector: the form's occupation text mapped with the current keywords (marts.occupations, built
-- by etl/marts.py before these files), 'lainnya' for members who never registered through the
-- form.
-- channel: 'formulir' (registered through the form) or 'lain' (a member whose NIK never came
-- through the form: covered through another channel, still counted as covered).
--
-- Funnel dates (reg_date, ver_date, rej_date, enr_date) are the dates a person counts at each
-- step. They are monotone so that registered >= verified >= enrolled holds for every place and
-- month: a person reaches a step at the earliest date they reached it or any later step.
--   enr_date = enrolment date (BPJS export).
--   ver_date = the date of a 'verified' latest decision, or the enrolment date when earlier or
--              when no verification was recorded (BPJS does not enrol an unverified person, and
--              other-channel members were verified by whoever enrolled them).
--   reg_date = first form submission, or ver_date / rej_date / enr_date when earlier (other
--              channel: the enrolment date).
--   rej_date = the date of a 'rejected' latest decision, only for people never enrolled
--              (an enrolment overrides an earlier rejection).
--   lapse_month = first month not paid: the month after paid_through, never before the
--              enrolment month. Whether a person is active in a month is defined once, by the
--              macro marts.is_active (05_data_span.sql), over enr_month and lapse_month.
-- Verification decisions about people who are neither participants nor members are ignored here.

-- Scope: etl/marts.py defines the temp views scope_participants, scope_members and
-- scope_verifications: every person in a rebuild, only the people a load touched in an
-- incremental update (which deletes and reinserts their rows). The rows are the view people_rows.
CREATE OR REPLACE TEMP VIEW people_rows AS
WITH member AS (
    SELECT person_key, enrolled_on, paid_through, funding_source, programs, desa_code
    FROM scope_members
),
decision AS (
    SELECT person_key, status, decided_on, reason
    FROM scope_verifications
    QUALIFY row_number() OVER (PARTITION BY person_key
                               ORDER BY decided_on DESC, load_id DESC, row_number DESC) = 1
),
joined AS (
    SELECT
        coalesce(p.person_key, m.person_key) AS person_key,
        coalesce(p.desa_code, m.desa_code) AS desa_code,
        p.kecamatan_code AS form_kecamatan_code,
        coalesce(o.sector, p.sector, 'lainnya') AS sector,
        p.sex,
        year(p.birth_date) AS birth_year,
        p.first_submitted_at::DATE AS registered_on,
        p.submissions,
        m.enrolled_on,
        m.paid_through,
        m.funding_source,
        m.programs,
        CASE WHEN p.person_key IS NULL THEN 'lain' ELSE 'formulir' END AS channel
    FROM scope_participants AS p
    FULL OUTER JOIN member AS m ON m.person_key = p.person_key
    LEFT JOIN marts.occupations AS o ON o.occupation_text = p.occupation_text
),
dated AS (
    SELECT
        j.*,
        d.status AS verification_status,
        d.decided_on AS verification_date,
        d.reason AS verification_reason,
        least(CASE WHEN d.status = 'verified' THEN d.decided_on END, j.enrolled_on) AS ver_date,
        CASE WHEN d.status = 'rejected' AND j.enrolled_on IS NULL THEN d.decided_on END
            AS rej_date
    FROM joined AS j
    LEFT JOIN decision AS d ON d.person_key = j.person_key
)
SELECT
    x.person_key,
    coalesce(x.form_kecamatan_code, r.parent_code) AS kecamatan_code,
    x.desa_code,
    r.code IS NOT NULL AS placed,          -- desa known in core.regions (the kabupaten)
    x.sector,
    x.sex,
    x.birth_year,
    x.channel,
    x.registered_on,
    x.submissions,
    x.verification_status,
    x.verification_date,
    x.verification_reason,
    x.enrolled_on,
    x.paid_through,
    x.funding_source,
    x.programs,
    least(x.registered_on, x.ver_date, x.rej_date, x.enrolled_on) AS reg_date,
    x.ver_date,
    x.rej_date,
    x.enrolled_on AS enr_date,
    date_trunc('month', least(x.registered_on, x.ver_date, x.rej_date, x.enrolled_on))::DATE AS reg_month,
    date_trunc('month', x.ver_date)::DATE AS ver_month,
    date_trunc('month', x.rej_date)::DATE AS rej_month,
    date_trunc('month', x.enrolled_on)::DATE AS enr_month,
    CASE WHEN x.enrolled_on IS NOT NULL THEN
        greatest(date_trunc('month', x.enrolled_on),
                 date_trunc('month', x.paid_through) + INTERVAL 1 MONTH)::DATE
    END AS lapse_month
FROM dated AS x
LEFT JOIN core.regions AS r ON r.code = x.desa_code AND r.level = 'desa';
