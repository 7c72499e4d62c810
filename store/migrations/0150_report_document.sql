-- The consolidated report is issued as an ECLAC document: a front matter per
-- cycle (document symbol, distribution, revision, original language), and
-- the report's rows kept as they stood when the cycle closed, so that each
-- language and format is rendered from the same model whenever it is asked
-- for, with the front matter as it stands then.

ALTER TABLE reporting_cycle
    -- Empty until the secretariat is given one; cooperation.DocumentSymbol
    -- says why a symbol is refused, this CHECK keeps out what it refuses.
    ADD COLUMN symbol text NOT NULL DEFAULT ''
        CHECK (symbol = '' OR (length(symbol) <= 100 AND symbol ~ '^[A-Za-z][A-Za-z0-9/.()-]*$')),
    ADD COLUMN distribution text NOT NULL DEFAULT 'limited' CHECK (distribution IN ('limited', 'general')),
    -- 0 as first issued; n prints /Rev.n after the symbol. Never lowered.
    ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision BETWEEN 0 AND 99),
    ADD COLUMN revised_at timestamptz,
    -- The language the report is written in; NULL: the secretariat's.
    ADD COLUMN original_language text CHECK (original_language IN ('es', 'en', 'pt', 'fr')),
    ADD CHECK ((revision = 0) = (revised_at IS NULL));

-- What the report of a closed cycle shows, taken when it closed (and again
-- when a revision is issued): store.ReportData as JSON.
CREATE TABLE report_snapshot (
    biennium   text NOT NULL,
    cycle      text NOT NULL,
    data       jsonb NOT NULL,
    -- The revision the rows were taken for.
    revision   integer NOT NULL CHECK (revision BETWEEN 0 AND 99),
    taken_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (biennium, cycle),
    FOREIGN KEY (biennium, cycle) REFERENCES reporting_cycle ON DELETE CASCADE
);

-- The renderings stored until now were English only and in three formats;
-- each language and format is now rendered from the snapshot. A cycle
-- closed before this migration has no snapshot and is rendered from its
-- rows as they stand; the report each
-- secretariat user was e-mailed stays in the e-mail log.
DROP TABLE report;
