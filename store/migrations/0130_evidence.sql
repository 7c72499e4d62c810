-- Evidence files attached to a report: the agenda, list of participants or
-- publication behind a narrative. A task keeps each distinct content once
-- (evidence_file, by SHA-256), however many versions of its report carry
-- it; attachment says which version carried which file under which name.
-- The bytes sit in evidence_blob when Postgres keeps them (the default); a
-- store of objects elsewhere would leave that table empty.

CREATE TABLE evidence_file (
    id           bigserial PRIMARY KEY,
    biennium     text NOT NULL,
    cycle        text NOT NULL,
    code         text NOT NULL,
    country      text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text NOT NULL CHECK (content_type IN (
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.oasis.opendocument.text',
        'image/png', 'image/jpeg', 'text/csv', 'text/plain')),
    size         bigint NOT NULL CHECK (size > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (biennium, cycle, code, country, sha256),
    FOREIGN KEY (biennium, cycle, code, country) REFERENCES report_task ON DELETE CASCADE
);

CREATE TABLE evidence_blob (
    file_id bigint PRIMARY KEY REFERENCES evidence_file ON DELETE CASCADE,
    data    bytea NOT NULL
);
-- PDFs, pictures and office documents are compressed already: Postgres
-- would spend time trying to compress them again for nothing.
ALTER TABLE evidence_blob ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE attachment (
    id            bigserial PRIMARY KEY,
    submission_id bigint NOT NULL REFERENCES submission ON DELETE CASCADE,
    file_id       bigint NOT NULL REFERENCES evidence_file ON DELETE CASCADE,
    -- Made safe by cooperation.EvidenceName: no path, no control or
    -- reserved character, ending with the extension of its kind.
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120 AND name !~ '[/\\<>:"|?*[:cntrl:]]'),
    uploaded_by   text NOT NULL CHECK (uploaded_by <> ''),
    uploaded_at   timestamptz NOT NULL,
    UNIQUE (submission_id, file_id),
    UNIQUE (submission_id, name)
);
CREATE INDEX attachment_file ON attachment (file_id);
