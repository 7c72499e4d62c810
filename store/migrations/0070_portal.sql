-- The portal: secretariat sessions, login throttling, the shared secret that
-- signs form tokens (so every replica agrees), and the form nonces that make
-- a repeated POST of one form count once.

-- A session: the cookie's value is never stored, only its SHA-256.
CREATE TABLE web_session (
    id_hash     bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    email       text NOT NULL REFERENCES secretariat_user ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX web_session_email ON web_session (email);

-- Failed logins per e-mail address: a recent run of failures locks that
-- address for a while, whichever replica the attempts reach.
CREATE TABLE login_failure (
    id     bigserial PRIMARY KEY,
    email  text NOT NULL CHECK (length(email) BETWEEN 1 AND 320),
    at     timestamptz NOT NULL
);
CREATE INDEX login_failure_email ON login_failure (email, at);

CREATE TABLE web_secret (
    name        text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    value       bytea NOT NULL CHECK (length(value) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per form answered: the first POST of a form claims its nonce, a
-- second one (a double click, a retry) finds it and changes nothing.
CREATE TABLE form_use (
    nonce        text PRIMARY KEY CHECK (length(nonce) BETWEEN 16 AND 100),
    purpose      text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 50),
    subject      text NOT NULL,
    actor        text NOT NULL,
    result       text NOT NULL DEFAULT '',
    signalled_at timestamptz,
    used_at      timestamptz NOT NULL DEFAULT now()
);
