-- A replacement announced ahead of its day: the note verbale says the new
-- focal point or delegate takes over on the 1st of next month. It waits
-- here, checked as if made at once, and the scheduler applies it on its
-- effective day (in the new person's time zone), or records why it could
-- not; the secretariat may cancel it before then.
CREATE TABLE scheduled_replacement (
    id           bigserial PRIMARY KEY,
    biennium     text NOT NULL REFERENCES programme ON DELETE CASCADE,
    country      text NOT NULL REFERENCES country,
    role         text NOT NULL CHECK (role IN ('focal_point', 'principal', 'alternate')),
    -- The person replaced, as resolved when it was scheduled.
    from_email   text NOT NULL CHECK (from_email <> ''),
    to_email     text NOT NULL CHECK (to_email = lower(to_email) AND to_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    to_name      text NOT NULL CHECK (length(to_name) BETWEEN 1 AND 200),
    to_language  text NOT NULL CHECK (to_language IN ('es', 'en', 'pt', 'fr')),
    to_time_zone text NOT NULL,
    effective    date NOT NULL,
    reference    text NOT NULL DEFAULT '' CHECK (length(reference) <= 2000),
    created_by   text NOT NULL CHECK (created_by <> ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'applied', 'cancelled', 'failed')),
    done_at      timestamptz,
    -- Why it failed, or who cancelled it.
    outcome      text NOT NULL DEFAULT '' CHECK (length(outcome) <= 2000),
    CHECK ((status = 'scheduled') = (done_at IS NULL))
);
-- One change waits at a time for each person in a role.
CREATE UNIQUE INDEX scheduled_replacement_one ON scheduled_replacement (biennium, country, role, from_email)
    WHERE status = 'scheduled';
CREATE INDEX scheduled_replacement_due ON scheduled_replacement (effective) WHERE status = 'scheduled';
