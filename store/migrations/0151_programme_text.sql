-- The texts meant for readers (the programme's title, goals and lines of
-- action, each activity's title, description and expected outputs) may be
-- given in several languages in the programme file. The tables keep each
-- text in its original language, as before; this table holds it in every
-- language the file gave, so that a reader gets their own where it exists.
CREATE TABLE programme_text (
    biennium  text NOT NULL REFERENCES programme ON DELETE CASCADE,
    -- 'programme', 'goal/1', 'line_of_action/1' or 'activity/G1A1'
    subject   text NOT NULL CHECK (subject ~ '^(programme|goal/[0-9]+|line_of_action/[0-9]+|activity/[A-Za-z0-9._-]+)$'),
    -- 'title', 'description' or 'expected_outputs/0'
    field     text NOT NULL CHECK (field ~ '^(title|description|expected_outputs/[0-9]+)$'),
    original_language text NOT NULL CHECK (original_language IN ('es', 'en', 'pt', 'fr')),
    language  text NOT NULL CHECK (language IN ('es', 'en', 'pt', 'fr')),
    body      text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    PRIMARY KEY (biennium, subject, field, language)
);
