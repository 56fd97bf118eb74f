-- Schema version 5: the sample vault and retro-hunts.
-- The vault's bytes live in files beside the database (`<db file>.vault/`); this table says
-- which samples are there, for the quota, the eviction order and the hunts' iteration.
CREATE TABLE vault (
    sha256       TEXT PRIMARY KEY,
    -- The sample's size, and the size of its encoded file.
    size         INTEGER NOT NULL,
    stored_size  INTEGER NOT NULL,
    added_at     INTEGER NOT NULL,
    -- NULL until first read; eviction takes the least recently read or added first.
    last_read_at INTEGER
) WITHOUT ROWID;
CREATE INDEX vault_recency ON vault(coalesce(last_read_at, added_at), sha256);

-- Counters that outlive the rows they count (evictions so far).
CREATE TABLE vault_counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- A retro-hunt: a matcher run over the vault's samples in sha256 order. The checkpoint (the
-- last sha256 done) commits with that batch's matches, so a killed hunt resumes after it.
CREATE TABLE hunts (
    id           INTEGER PRIMARY KEY,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    rules_hash   TEXT NOT NULL,
    -- The rules' source text or the paths they were read from.
    rules_source TEXT NOT NULL,
    since        INTEGER,
    tag          TEXT,
    -- running, cancelled, done or failed.
    status       TEXT NOT NULL,
    checkpoint   TEXT,
    scanned      INTEGER NOT NULL DEFAULT 0,
    matched      INTEGER NOT NULL DEFAULT 0,
    bytes        INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0,
    -- The first failures, or why the hunt failed.
    message      TEXT NOT NULL DEFAULT ''
);

-- One row per rule match; the position keeps a sample's matches in the matcher's order and
-- makes a second insert of the same match impossible.
CREATE TABLE hunt_matches (
    hunt_id    INTEGER NOT NULL REFERENCES hunts(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL,
    position   INTEGER NOT NULL,
    rule_match TEXT NOT NULL,
    PRIMARY KEY (hunt_id, sha256, position)
) WITHOUT ROWID;
