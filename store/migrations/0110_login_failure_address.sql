-- Failed logins are counted per account and client address: a stranger's
-- wrong passwords slow down that stranger, not the account's owner.
-- Failures recorded before this column existed count as one unknown address.
ALTER TABLE login_failure ADD COLUMN address text NOT NULL DEFAULT '' CHECK (length(address) <= 64);
CREATE INDEX login_failure_pair ON login_failure (email, address, at);
CREATE INDEX login_failure_at ON login_failure (at);
CREATE INDEX web_session_expires ON web_session (expires_at);
