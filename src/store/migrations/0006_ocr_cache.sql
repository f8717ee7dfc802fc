-- OCR results, keyed by the sha256 of a rendered page's pixels and of the engine's settings
-- (`ocr::cache_key`): a page already recognised is never recognised again, whichever file
-- brings it. A page read by OCR names its result, which holds the words' offsets, boxes and
-- confidences (evidence on a scanned page is highlighted and flagged from them). Rows are
-- written in the import's transaction: a cancelled or failed import leaves none.
CREATE TABLE ocr_cache (
    key         TEXT PRIMARY KEY,
    text        TEXT NOT NULL,
    confidence  REAL NOT NULL,         -- mean confidence of the page's characters, 0 to 100
    words       TEXT NOT NULL,         -- JSON: [{start, end, confidence, left, top, right, bottom}]
    created     TEXT NOT NULL          -- RFC 3339, UTC
) WITHOUT ROWID;

ALTER TABLE pages ADD COLUMN ocr_key TEXT REFERENCES ocr_cache(key);
