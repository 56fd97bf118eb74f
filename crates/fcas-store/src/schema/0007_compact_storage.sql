-- Schema version 7: smaller stores. Report bodies in a compact form compressed with a zstd
-- dictionary kept in the store (`reports.body_encoding` 'compact+zstd-dict:<id>' names the row
-- here; bodies written before, 'json+zstd' and 'json', still decode), and export names kept once.
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

-- Export names kept once each, like import names: a name per (name, report) row cost 2.3 kB per
-- report at 20,000 reports, more than every other fact together (docs/BENCHMARKS.md, store).
CREATE TABLE export_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO export_names (name) SELECT DISTINCT name FROM exports ORDER BY name;
CREATE TABLE exports_by_name_id (
    name_id   INTEGER NOT NULL REFERENCES export_names(id),
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (name_id, report_id)
) WITHOUT ROWID;
INSERT INTO exports_by_name_id (name_id, report_id)
    SELECT n.id, e.report_id FROM exports e JOIN export_names n ON n.name = e.name;
DROP TABLE exports;
ALTER TABLE exports_by_name_id RENAME TO exports;
