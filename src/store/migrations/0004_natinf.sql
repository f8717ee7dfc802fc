-- The NATINF nomenclature as last imported from the ministry's CSV (`permanence natinf import`).
-- An import replaces the whole table in one transaction; until the first one, the engine uses the
-- road-traffic subset shipped in `assets/natinf/road-traffic.json`.
-- Search is a scan of `search` (17,000 short rows: a few milliseconds), so no index beyond the key.
CREATE TABLE natinf (
    code          INTEGER PRIMARY KEY,        -- the NATINF number
    nature        TEXT NOT NULL,              -- « Délit », « Contravention de classe 4 »…
    label         TEXT NOT NULL,              -- the simplified qualification
    defined_by    TEXT NOT NULL DEFAULT '',   -- « Définie par »
    repressed_by  TEXT NOT NULL DEFAULT '',   -- « Réprimée par »
    search        TEXT NOT NULL,              -- code and label folded: lower case, no accents,
                                              -- words between single spaces, one at each end
    source        TEXT NOT NULL,              -- the imported file's name (no folders)
    imported      TEXT NOT NULL               -- RFC 3339, UTC
);
