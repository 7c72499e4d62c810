-- The Chair is asked for a casting vote when a voting period ends without a
-- majority; the reminder sweep reminds the Chair while this is true.
ALTER TABLE review_round ADD COLUMN awaiting_casting boolean NOT NULL DEFAULT false;
CREATE INDEX review_round_awaiting_casting ON review_round (closes_at) WHERE awaiting_casting;
