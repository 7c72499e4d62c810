-- A call for proposals: the secretariat invites every focal point of a
-- biennium to propose activities through a personal link until closes_at.
CREATE TABLE call_for_proposals (
    id         bigserial PRIMARY KEY,
    biennium   text NOT NULL REFERENCES programme ON DELETE CASCADE,
    closes_at  timestamptz NOT NULL,
    opened_by  text NOT NULL CHECK (length(opened_by) BETWEEN 1 AND 320),
    opened_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at > opened_at)
);
CREATE INDEX call_for_proposals_biennium ON call_for_proposals (biennium, closes_at);
