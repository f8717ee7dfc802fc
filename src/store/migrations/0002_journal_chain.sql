-- The journal becomes a hash chain: each entry holds the hash of the previous one, and
-- `journal_head` holds the last entry's id and hash, so that editing, inserting or removing an
-- entry by hand (even the last one) is detected by `permanence journal verify`.
-- `actor` is who acted (the user profile's name; empty for the engine itself).
ALTER TABLE journal ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN prev TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN hash TEXT NOT NULL DEFAULT '';

CREATE TABLE journal_head (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    last_id  INTEGER NOT NULL,
    hash     TEXT NOT NULL
);

-- Entries written before the chain existed are sealed once, right after this migration (the
-- engine computes their hashes in id order): the only update ever allowed is that sealing, on a
-- row whose hash is still empty, and it may change nothing but `prev` and `hash`.
DROP TRIGGER journal_no_update;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
WHEN OLD.hash <> '' OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.dossier_id IS NOT OLD.dossier_id OR NEW.event IS NOT OLD.event
  OR NEW.detail IS NOT OLD.detail OR NEW.actor IS NOT OLD.actor
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
