-- Schema version 5: known files imported from MISP events, STIX bundles and hash lists
-- (`fcas db import`). Keyed by hash, not by sample: an entry matches samples stored before and
-- after its import, because reports read it when they are shown.
CREATE TABLE known (
    -- `md5`, `sha1` or `sha256`; `hash` is lowercase hexadecimal.
    hash_kind   TEXT NOT NULL CHECK (hash_kind IN ('md5', 'sha1', 'sha256')),
    hash        TEXT NOT NULL,
    -- The list it came from; importing the same list again replaces its entries.
    source      TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    -- JSON array of strings.
    tags        TEXT NOT NULL DEFAULT '[]',
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (hash_kind, hash, source)
) WITHOUT ROWID;
