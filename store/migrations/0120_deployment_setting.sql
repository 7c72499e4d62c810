-- Settings every process of a deployment must agree on, kept with the data
-- rather than in each process's environment: a command run from an
-- operator's shell reads them here instead of trusting its own variables.
-- base_url starts every link put in an e-mail.
CREATE TABLE deployment_setting (
    name   text PRIMARY KEY CHECK (name IN ('base_url')),
    value  text NOT NULL CHECK (value <> '' AND length(value) <= 2000),
    set_by text NOT NULL CHECK (set_by <> ''),
    set_at timestamptz NOT NULL DEFAULT now()
);
