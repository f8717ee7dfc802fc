-- The facts read from each document, the magistrate's corrections, the user profile, the
-- criminal policies kept, and the decisions taken. Corrections and decisions are append-only:
-- a later row supersedes an earlier one; each is recorded in the journal with its digest, so
-- `permanence journal verify` also finds a row edited by hand.

CREATE TABLE facts (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,   -- extract::VERSION that produced it; re-extracted when older
    facts        TEXT NOT NULL,      -- JSON, permanence.facts/1
    extracted    TEXT NOT NULL       -- RFC 3339, UTC
);

CREATE TABLE corrections (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path         TEXT NOT NULL,      -- JSON pointer into the facts: /alcohol/value, /persons/0/surname
    value        TEXT NOT NULL,      -- JSON: the value the magistrate set (it wins)
    previous     TEXT NOT NULL,      -- JSON: the value before, as extracted or corrected (kept)
    reason       TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX corrections_document ON corrections(document_id);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE policies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    author     TEXT NOT NULL,
    effective  TEXT NOT NULL,
    file       TEXT NOT NULL,        -- the file name it was loaded from
    source     TEXT NOT NULL,        -- the whole TOML text, as validated
    added      TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX policies_one_active ON policies(active) WHERE active = 1;

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY,
    dossier_id      INTEGER NOT NULL REFERENCES dossiers(id),
    proposed        TEXT NOT NULL,   -- orientation id of the proposal
    orientation     TEXT NOT NULL,   -- orientation id decided
    accepted        INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    reason          TEXT NOT NULL DEFAULT '',
    proposal        TEXT NOT NULL,   -- JSON: the whole proposal the magistrate saw
    policy_name     TEXT NOT NULL,
    policy_version  TEXT NOT NULL,
    actor           TEXT NOT NULL,
    actor_function  TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL
);
CREATE INDEX decisions_dossier ON decisions(dossier_id);

CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
WHEN (SELECT COUNT(*) FROM documents WHERE id = OLD.document_id) > 0
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
