-- Dossiers, their documents and pages, and the append-only journal.
CREATE TABLE dossiers (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'recu',
    created     TEXT NOT NULL            -- RFC 3339, UTC
);

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    dossier_id     INTEGER NOT NULL REFERENCES dossiers(id),
    sha256         TEXT NOT NULL UNIQUE,  -- also the name of the stored original
    original_name  TEXT NOT NULL,
    size           INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('pdf', 'txt')),
    page_count     INTEGER NOT NULL,
    imported       TEXT NOT NULL,
    metadata       TEXT NOT NULL DEFAULT '{}',  -- JSON: the PDF information dictionary
    indexed        INTEGER NOT NULL DEFAULT 0   -- 1 once the search index holds every page
);
CREATE INDEX documents_dossier ON documents(dossier_id);

CREATE TABLE pages (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,            -- from 1
    text         TEXT NOT NULL,
    width        REAL,
    height       REAL,
    needs_ocr    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID;

CREATE TABLE attachments (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL
);

CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    dossier_id  INTEGER REFERENCES dossiers(id),
    event       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}'   -- JSON; identifiers only, never case content
);
CREATE INDEX journal_dossier ON journal(dossier_id);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
