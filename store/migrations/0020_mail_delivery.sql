-- Mail delivery: the age limit of retries counts from when a message was
-- (re)queued, so that an operator's retry of a failed message gets a full
-- window again; failed messages are listed once in the secretariat's daily
-- notice; a message that becomes due wakes the delivery workers at once.

ALTER TABLE email ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
UPDATE email SET queued_at = created_at;

-- Set when a failed message was listed in a notice to the secretariat.
ALTER TABLE email ADD COLUMN failure_noticed_at timestamptz;
CREATE INDEX email_failed_unnoticed ON email (id) WHERE status = 'failed' AND failure_noticed_at IS NULL;

CREATE FUNCTION email_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bienal_email', '');
    RETURN NULL;
END
$$;

-- Only rows due now wake the workers: a retry scheduled for later is found by the poll.
CREATE TRIGGER email_due_notify AFTER INSERT OR UPDATE OF status ON email
    FOR EACH ROW WHEN (NEW.status = 'queued' AND NEW.next_attempt_at <= now())
    EXECUTE FUNCTION email_notify_due();
