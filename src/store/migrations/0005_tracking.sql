-- Tracking and figures. Both tables are derived data, rebuilt from the facts, the journal and
-- the decisions whenever a dossier changes (and at open for dossiers that lack a row): never
-- the only copy of anything.

-- One row per dossier: what the figures count, so that 50,000 dossiers are counted by one
-- scan of small rows, not by reading every facts document.
CREATE TABLE dossier_stats (
    dossier_id     INTEGER PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    received       TEXT NOT NULL,     -- RFC 3339, when the dossier was created
    families       TEXT NOT NULL,     -- offence family ids, comma-separated, sorted
    natinf         TEXT NOT NULL,     -- NATINF codes, comma-separated
    alcohol_mg_l   REAL,              -- retained rate in mg/L of exhaled air (g/L of blood / 2)
    facts_date     TEXT,              -- YYYY-MM-DD
    proposed       TEXT,              -- orientation of the last proposal recorded
    proposed_rule  TEXT,              -- the rule that decided it
    decided        TEXT,              -- orientation of the last decision
    accepted       INTEGER,           -- 1 when that decision accepted the proposal as is
    decided_at     TEXT
);
CREATE INDEX dossier_stats_received ON dossier_stats(received);

-- The persons of each dossier, in a matching form: surname and given names in capitals without
-- accents, given names sorted, birth place folded.
CREATE TABLE person_keys (
    dossier_id   INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    surname      TEXT NOT NULL,
    given        TEXT NOT NULL,
    birth_date   TEXT,
    birth_place  TEXT
);
CREATE INDEX person_keys_surname ON person_keys(surname);
CREATE INDEX person_keys_dossier ON person_keys(dossier_id);
