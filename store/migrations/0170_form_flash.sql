-- A form shown again after a redirect (Post/Redirect/Get): what was typed,
-- the message beside each field, and a notice above the form, read by the
-- page the answer redirects to. Bound to the session it was sent in (a hash
-- of it, as web_session keeps), or, when the session had expired, to a
-- cookie of its own until the person signs in again. Kept an hour.
CREATE TABLE form_flash (
    id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22}$'),
    binding_hash bytea NOT NULL CHECK (length(binding_hash) = 32),
    path         text NOT NULL CHECK (path LIKE '/%' AND length(path) <= 500),
    target       text NOT NULL DEFAULT '' CHECK (length(target) <= 200),
    form_values  jsonb NOT NULL DEFAULT '{}',
    form_errors  jsonb NOT NULL DEFAULT '{}',
    notice       text NOT NULL DEFAULT '' CHECK (length(notice) <= 100),
    notice_args  jsonb NOT NULL DEFAULT '[]',
    failed       boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (octet_length(form_values::text) <= 262144)
);
CREATE INDEX form_flash_expires ON form_flash (expires_at);
