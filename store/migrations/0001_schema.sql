-- The programme, its people and its activities; votes, reporting cycles,
-- report tasks and submissions; every e-mail as a row; the audit log.
-- Statuses are CHECKed, every "one X per Y" rule is a unique key.

CREATE TABLE programme (
    biennium      text PRIMARY KEY CHECK (biennium ~ '^[0-9]{4}-[0-9]{4}$'),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    -- Decision rule and reminder policy, per programme (see README).
    voting_days   integer NOT NULL DEFAULT 14 CHECK (voting_days BETWEEN 1 AND 365),
    max_rounds    integer NOT NULL DEFAULT 3 CHECK (max_rounds BETWEEN 1 AND 20),
    recuse_involved boolean NOT NULL DEFAULT true,
    reminder_days_before integer[] NOT NULL DEFAULT '{14,7,2}',
    reminder_on_due boolean NOT NULL DEFAULT true,
    reminder_overdue_every_days integer NOT NULL DEFAULT 7 CHECK (reminder_overdue_every_days BETWEEN 1 AND 90),
    reminder_overdue_max integer NOT NULL DEFAULT 3 CHECK (reminder_overdue_max BETWEEN 0 AND 50),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE goal (
    biennium  text NOT NULL REFERENCES programme ON DELETE CASCADE,
    number    integer NOT NULL CHECK (number > 0),
    title     text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
    PRIMARY KEY (biennium, number)
);

CREATE TABLE line_of_action (
    biennium  text NOT NULL REFERENCES programme ON DELETE CASCADE,
    number    integer NOT NULL CHECK (number > 0),
    title     text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
    PRIMARY KEY (biennium, number)
);

CREATE TABLE country (
    code  text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

-- A person the system writes to: focal point, committee member or secretariat.
CREATE TABLE person (
    email     text PRIMARY KEY CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    language  text NOT NULL CHECK (language IN ('es', 'en', 'pt', 'fr')),
    time_zone text NOT NULL DEFAULT 'UTC',
    country   text REFERENCES country
);

CREATE TABLE focal_point (
    biennium  text NOT NULL REFERENCES programme ON DELETE CASCADE,
    country   text NOT NULL REFERENCES country,
    email     text NOT NULL REFERENCES person,
    PRIMARY KEY (biennium, country, email)
);

CREATE TABLE committee_member (
    biennium   text NOT NULL REFERENCES programme ON DELETE CASCADE,
    email      text NOT NULL REFERENCES person,
    country    text NOT NULL REFERENCES country,
    role       text NOT NULL CHECK (role IN ('chair', 'member')),
    term_start date,
    term_end   date,
    PRIMARY KEY (biennium, email),
    CHECK (term_end IS NULL OR term_start IS NULL OR term_end >= term_start)
);
-- One chair per programme.
CREATE UNIQUE INDEX committee_one_chair ON committee_member (biennium) WHERE role = 'chair';

CREATE TABLE secretariat_user (
    email         text PRIMARY KEY REFERENCES person,
    role          text NOT NULL DEFAULT 'secretariat' CHECK (role IN ('secretariat', 'admin')),
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE activity (
    biennium        text NOT NULL REFERENCES programme ON DELETE CASCADE,
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    goal            integer NOT NULL,
    line_of_action  integer NOT NULL,
    lead_country    text NOT NULL REFERENCES country,
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description     text NOT NULL DEFAULT '',
    expected_outputs text[] NOT NULL DEFAULT '{}',
    starts_on       date,
    ends_on         date,
    proposed_by     text REFERENCES person,
    status          text NOT NULL CHECK (status IN ('draft', 'proposed', 'under_review', 'changes_requested',
                        'approved', 'rejected', 'withdrawn', 'in_execution', 'completed', 'cancelled')),
    round           integer NOT NULL DEFAULT 0 CHECK (round >= 0),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    final_statement text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (biennium, code),
    FOREIGN KEY (biennium, goal) REFERENCES goal,
    FOREIGN KEY (biennium, line_of_action) REFERENCES line_of_action,
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX activity_status ON activity (biennium, status);

CREATE TABLE activity_country (
    biennium  text NOT NULL,
    code      text NOT NULL,
    country   text NOT NULL REFERENCES country,
    role      text NOT NULL CHECK (role IN ('lead', 'participant')),
    PRIMARY KEY (biennium, code, country),
    FOREIGN KEY (biennium, code) REFERENCES activity ON DELETE CASCADE
);

-- Every version of a proposal's text, so reviewers see what changed.
CREATE TABLE activity_version (
    biennium   text NOT NULL,
    code       text NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    fields     jsonb NOT NULL,
    author     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (biennium, code, version),
    FOREIGN KEY (biennium, code) REFERENCES activity ON DELETE CASCADE
);

CREATE TABLE review_round (
    biennium   text NOT NULL,
    code       text NOT NULL,
    round      integer NOT NULL CHECK (round >= 1),
    version    integer NOT NULL,
    opened_at  timestamptz NOT NULL,
    closes_at  timestamptz NOT NULL,
    outcome    text CHECK (outcome IN ('approve', 'reject', 'request_changes', 'withdrawn')),
    decided_by text CHECK (decided_by IN ('majority', 'chair', 'rounds_exhausted', 'withdrawal')),
    decided_at timestamptz,
    PRIMARY KEY (biennium, code, round),
    FOREIGN KEY (biennium, code) REFERENCES activity ON DELETE CASCADE
);

-- Who may vote in a round: the roster the round started with.
CREATE TABLE round_member (
    biennium  text NOT NULL,
    code      text NOT NULL,
    round     integer NOT NULL,
    email     text NOT NULL REFERENCES person,
    role      text NOT NULL CHECK (role IN ('chair', 'member')),
    recused   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (biennium, code, round, email),
    FOREIGN KEY (biennium, code, round) REFERENCES review_round ON DELETE CASCADE
);

-- One current vote per member per round; vote_id makes a repeated signal harmless.
CREATE TABLE vote (
    biennium  text NOT NULL,
    code      text NOT NULL,
    round     integer NOT NULL,
    member    text NOT NULL,
    vote_id   text NOT NULL CHECK (length(vote_id) BETWEEN 1 AND 200),
    decision  text NOT NULL CHECK (decision IN ('approve', 'reject', 'request_changes')),
    comment   text NOT NULL DEFAULT '',
    casting   boolean NOT NULL DEFAULT false,
    cast_at   timestamptz NOT NULL,
    PRIMARY KEY (biennium, code, round, member, casting),
    FOREIGN KEY (biennium, code, round, member) REFERENCES round_member ON DELETE CASCADE
);
CREATE UNIQUE INDEX vote_id_once ON vote (biennium, code, vote_id);

CREATE TABLE reporting_cycle (
    biennium   text NOT NULL REFERENCES programme ON DELETE CASCADE,
    name       text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
    title      text NOT NULL DEFAULT '',
    due_on     date NOT NULL,
    closes_on  date NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at  timestamptz NOT NULL DEFAULT now(),
    closed_at  timestamptz,
    PRIMARY KEY (biennium, name),
    CHECK (closes_on >= due_on)
);

-- One task per cycle, activity and country.
CREATE TABLE report_task (
    biennium   text NOT NULL,
    cycle      text NOT NULL,
    code       text NOT NULL,
    country    text NOT NULL REFERENCES country,
    due_on     date NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'overdue', 'submitted', 'waived', 'missing')),
    late       boolean NOT NULL DEFAULT false,
    waive_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (biennium, cycle, code, country),
    FOREIGN KEY (biennium, cycle) REFERENCES reporting_cycle ON DELETE CASCADE,
    FOREIGN KEY (biennium, code) REFERENCES activity ON DELETE CASCADE
);
CREATE INDEX report_task_open ON report_task (due_on) WHERE status IN ('open', 'overdue');

CREATE TABLE extension (
    id         bigserial PRIMARY KEY,
    biennium   text NOT NULL,
    cycle      text NOT NULL,
    code       text NOT NULL,
    country    text NOT NULL,
    from_date  date NOT NULL,
    until_date date NOT NULL CHECK (until_date > from_date),
    reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);

-- Submissions are versioned: the latest counts.
CREATE TABLE submission (
    id           bigserial PRIMARY KEY,
    biennium     text NOT NULL,
    cycle        text NOT NULL,
    code         text NOT NULL,
    country      text NOT NULL,
    version      integer NOT NULL CHECK (version >= 1),
    status       text NOT NULL CHECK (status IN ('not_started', 'on_track', 'delayed', 'completed', 'cancelled')),
    progress     text NOT NULL DEFAULT '',
    results      text NOT NULL DEFAULT '',
    difficulties text NOT NULL DEFAULT '',
    next_steps   text NOT NULL DEFAULT '',
    submitted_by text NOT NULL,
    late         boolean NOT NULL DEFAULT false,
    counted      boolean NOT NULL DEFAULT false,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (biennium, cycle, code, country, version),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);

CREATE TABLE report (
    biennium   text NOT NULL,
    cycle      text NOT NULL,
    format     text NOT NULL CHECK (format IN ('html', 'md', 'csv')),
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (biennium, cycle, format),
    FOREIGN KEY (biennium, cycle) REFERENCES reporting_cycle ON DELETE CASCADE
);

-- Every e-mail is a row first; dedup_key makes a retried cause harmless.
CREATE TABLE email (
    id            bigserial PRIMARY KEY,
    dedup_key     text NOT NULL UNIQUE CHECK (length(dedup_key) BETWEEN 1 AND 300),
    recipient     text NOT NULL,
    language      text NOT NULL CHECK (language IN ('es', 'en', 'pt', 'fr')),
    kind          text NOT NULL,
    subject       text NOT NULL,
    body_text     text NOT NULL,
    body_html     text NOT NULL DEFAULT '',
    attachments   jsonb NOT NULL DEFAULT '[]',
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- Set when a resend follows an unknown outcome: the message may arrive twice, with one Message-ID.
    resent_after_unknown boolean NOT NULL DEFAULT false,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz
);
CREATE INDEX email_due ON email (next_attempt_at) WHERE status IN ('queued', 'sending');

CREATE TABLE email_attempt (
    id          bigserial PRIMARY KEY,
    email_id    bigint NOT NULL REFERENCES email ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    outcome     text NOT NULL CHECK (outcome IN ('sent', 'temporary', 'permanent', 'unknown')),
    smtp_code   integer,
    enhanced_status text,
    error       text
);

-- A personal link: the token is never stored, only its SHA-256.
CREATE TABLE link (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    purpose     text NOT NULL CHECK (purpose IN ('vote', 'report', 'revise', 'complete', 'propose')),
    subject     text NOT NULL,
    recipient   text NOT NULL REFERENCES person,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (purpose, subject, recipient)
);

-- Reminders: one row per (recipient, item, stage) sent, so a second sweep is harmless.
CREATE TABLE reminder_sent (
    recipient  text NOT NULL,
    item       text NOT NULL,
    stage      text NOT NULL,
    email_id   bigint REFERENCES email,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (recipient, item, stage)
);

-- Append-only record of every state change and refused input.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    subject   text NOT NULL,
    action    text NOT NULL,
    detail    jsonb NOT NULL DEFAULT '{}',
    dedup_key text UNIQUE
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
