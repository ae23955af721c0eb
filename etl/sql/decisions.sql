-- The planning loop's tables (etl/decisions.py): meetings and the decisions made in them.
-- Created on first use by every write session (etl.db.ensure_schema), never dropped by a load:
-- a load writes a copy of the whole file, these tables included, so a load never loses a
-- decision, and a decision is written through the same locked, atomic write as a load.
-- Not personal data: a place, an action, an owner (an RM id, the Dinas or a desa).

CREATE SCHEMA IF NOT EXISTS plan;

CREATE SEQUENCE IF NOT EXISTS plan.meeting_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS plan.decision_id_seq START 1;

-- One planning meeting (rapat): its date, a note, and the data month it looked at.
CREATE TABLE IF NOT EXISTS plan.meetings (
    meeting_id INTEGER PRIMARY KEY,
    held_on DATE NOT NULL,
    note VARCHAR,
    data_month DATE NOT NULL,           -- first day of the month whose figures the meeting saw
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR                  -- account name, or 'berkas' / 'demo'
);

-- One decision of a meeting. Measured (etl/sql/queries/decision_measure.sql) from
-- baseline_month (the month the meeting saw) to the month asked, or to the month it was closed.
CREATE TABLE IF NOT EXISTS plan.decisions (
    decision_id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL,
    place_level VARCHAR NOT NULL,       -- kabupaten, kecamatan, desa
    place_code VARCHAR NOT NULL,        -- Kemendagri code
    sector VARCHAR,                     -- NULL: every sector
    action VARCHAR NOT NULL,            -- etl.decisions.ACTIONS
    detail VARCHAR,                     -- free text (e.g. the budget simulation it came from)
    owner_kind VARCHAR NOT NULL,        -- rm, dinas, desa
    owner VARCHAR NOT NULL,             -- the RM id, 'Dinas', or the desa code
    due_month DATE NOT NULL,            -- first day of the month it is due by
    expected_gain INTEGER NOT NULL,     -- + active members expected by the due month
    baseline_month DATE NOT NULL,       -- first day of the month measured from
    state VARCHAR NOT NULL DEFAULT 'open',  -- open, closed, carried (carried into a new one)
    closed_month DATE,                  -- the data month at closing: measured up to it
    closed_meeting_id INTEGER,
    carried_from INTEGER,               -- the decision this one carries over
    source VARCHAR NOT NULL,            -- rapat (the page), berkas (a load), demo
    load_id INTEGER,                    -- the load that brought it (source berkas)
    created_at TIMESTAMP NOT NULL
);
