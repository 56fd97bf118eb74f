-- Schema version 7: report bodies compressed with a zstd dictionary kept in the store
-- (`reports.body_encoding` 'json+zstd-dict:<id>' names the row here). Bodies written before
-- ('json+zstd', 'json') still decode.
CREATE TABLE body_dictionaries (
    id         INTEGER PRIMARY KEY,
    dictionary BLOB NOT NULL
);

-- The re-encoding of the bodies stored before this version, done in batches after this step
-- (src/reencode.rs): each batch commits with the last report id it reached, so a killed
-- process resumes after it. Reports after `last_id` up to `up_to` remain; the row is deleted
-- once they are done. A store with no reports has nothing to re-encode.
CREATE TABLE body_reencoding (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    up_to   INTEGER NOT NULL
);
INSERT INTO body_reencoding (id, last_id, up_to) SELECT 1, 0, max(id) FROM reports HAVING count(*) > 0;
