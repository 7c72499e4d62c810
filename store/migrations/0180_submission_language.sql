-- The language a report's texts were written in, as the focal point said
-- it: NULL on what was sent or saved before anyone was asked.
ALTER TABLE submission ADD COLUMN language text CHECK (language IN ('es', 'en', 'pt', 'fr'));
ALTER TABLE task_draft ADD COLUMN language text CHECK (language IN ('es', 'en', 'pt', 'fr'));
