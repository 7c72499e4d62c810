-- A person away names a delegate for a date range: from the first day to
-- the last (UTC dates), reminders and new tasks or votes go to the delegate
-- with a copy to the person, and either may answer. It ends by itself after
-- its last day; ended_at marks one ended early.
CREATE TABLE delegation (
    id         bigserial PRIMARY KEY,
    person     text NOT NULL REFERENCES person,
    delegate   text NOT NULL REFERENCES person,
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    created_by text NOT NULL CHECK (created_by <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    ended_at   timestamptz,
    CHECK (ends_on >= starts_on),
    CHECK (person <> delegate)
);
CREATE INDEX delegation_person ON delegation (person, ends_on);
CREATE INDEX delegation_delegate ON delegation (delegate, ends_on);
