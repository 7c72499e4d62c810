-- A report is not one form sent once: the focal point keeps a draft, the
-- secretariat accepts a version or sends it back for clarification with a
-- reason and a new due date, and a focal point who needs more time asks
-- for it from the link.

ALTER TABLE report_task DROP CONSTRAINT report_task_status_check;
ALTER TABLE report_task ADD CONSTRAINT report_task_status_check CHECK (status IN (
    'open', 'overdue', 'submitted', 'clarification_requested', 'accepted', 'waived', 'missing'));

-- Tasks still waiting for a report, first or clarified: what reminders read.
DROP INDEX report_task_open;
CREATE INDEX report_task_open ON report_task (due_on) WHERE status IN ('open', 'overdue', 'clarification_requested');

-- Each decision of the secretariat on a submitted version, oldest first.
CREATE TABLE task_review (
    id            bigserial PRIMARY KEY,
    biennium      text NOT NULL,
    cycle         text NOT NULL,
    code          text NOT NULL,
    country       text NOT NULL,
    submission_id bigint NOT NULL REFERENCES submission ON DELETE CASCADE,
    decision      text NOT NULL CHECK (decision IN ('accepted', 'clarification_requested')),
    -- The reason for a clarification, the comment on an acceptance (may be empty).
    comment       text NOT NULL CHECK (length(comment) <= 2000),
    -- The new due date a clarification sets.
    due_on        date,
    reviewed_by   text NOT NULL CHECK (reviewed_by <> ''),
    reviewed_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((decision = 'clarification_requested') = (due_on IS NOT NULL)),
    CHECK (decision <> 'clarification_requested' OR length(comment) >= 1),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);
CREATE INDEX task_review_task ON task_review (biennium, cycle, code, country);
-- A version is reviewed once: the same request sent twice stores one row.
CREATE UNIQUE INDEX task_review_once ON task_review (submission_id, decision);

-- A focal point's request for a new due date, and the secretariat's answer.
CREATE TABLE extension_request (
    id           bigserial PRIMARY KEY,
    biennium     text NOT NULL,
    cycle        text NOT NULL,
    code         text NOT NULL,
    country      text NOT NULL,
    until_date   date NOT NULL,
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    requested_by text NOT NULL CHECK (requested_by <> ''),
    requested_at timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused', 'withdrawn')),
    answer       text NOT NULL DEFAULT '' CHECK (length(answer) <= 2000),
    answered_by  text,
    answered_at  timestamptz,
    CHECK ((status = 'pending') = (answered_at IS NULL)),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);
-- One request waits at a time per task.
CREATE UNIQUE INDEX extension_request_pending ON extension_request (biennium, cycle, code, country) WHERE status = 'pending';

-- What a focal point has written but not sent: one draft per task, kept
-- until the next submission.
CREATE TABLE task_draft (
    biennium     text NOT NULL,
    cycle        text NOT NULL,
    code         text NOT NULL,
    country      text NOT NULL,
    status       text NOT NULL DEFAULT '' CHECK (status IN ('', 'not_started', 'on_track', 'delayed', 'completed', 'cancelled')),
    progress     text NOT NULL DEFAULT '',
    results      text NOT NULL DEFAULT '',
    difficulties text NOT NULL DEFAULT '',
    next_steps   text NOT NULL DEFAULT '',
    saved_by     text NOT NULL CHECK (saved_by <> ''),
    saved_at     timestamptz NOT NULL,
    PRIMARY KEY (biennium, cycle, code, country),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);

-- The evidence files a draft holds, under the names they will carry.
CREATE TABLE draft_attachment (
    biennium    text NOT NULL,
    cycle       text NOT NULL,
    code        text NOT NULL,
    country     text NOT NULL,
    file_id     bigint NOT NULL REFERENCES evidence_file ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120 AND name !~ '[/\\<>:"|?*[:cntrl:]]'),
    uploaded_by text NOT NULL CHECK (uploaded_by <> ''),
    uploaded_at timestamptz NOT NULL,
    PRIMARY KEY (biennium, cycle, code, country, file_id),
    UNIQUE (biennium, cycle, code, country, name),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES task_draft ON DELETE CASCADE
);
