-- Schema version 1: samples, reports, normalised facts, analyst annotations, full-text index.
-- Facts are kept for every report; queries look at each sample's latest report
-- (samples.latest_report_id), so a re-analysis replaces what queries see without deleting history.

CREATE TABLE samples (
    id               INTEGER PRIMARY KEY,
    sha256           TEXT NOT NULL UNIQUE,
    sha1             TEXT NOT NULL DEFAULT '',
    md5              TEXT NOT NULL DEFAULT '',
    sha512           TEXT NOT NULL DEFAULT '',
    size             INTEGER NOT NULL,
    format           TEXT NOT NULL,
    file_type        TEXT NOT NULL DEFAULT '',
    mime             TEXT NOT NULL DEFAULT '',
    ssdeep           TEXT,
    tlsh             TEXT,
    imphash          TEXT,
    first_seen       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    latest_report_id INTEGER
);
CREATE INDEX samples_md5 ON samples(md5);
CREATE INDEX samples_sha1 ON samples(sha1);
CREATE INDEX samples_sha512 ON samples(sha512);
CREATE INDEX samples_imphash ON samples(imphash);
-- Facts queries join each fact row to the sample whose latest report it belongs to.
CREATE INDEX samples_latest_report ON samples(latest_report_id);

CREATE TABLE sample_names (
    sample_id  INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (sample_id, name)
) WITHOUT ROWID;

CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    sample_id      INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    analysed_at    INTEGER NOT NULL,
    engine_version TEXT NOT NULL,
    models_version TEXT NOT NULL,
    worker         TEXT NOT NULL,
    verdict        TEXT,
    score          REAL,
    schema_version INTEGER NOT NULL,
    error_count    INTEGER NOT NULL,
    body_encoding  TEXT NOT NULL,
    body           BLOB NOT NULL
);
CREATE INDEX reports_sample ON reports(sample_id, id);
CREATE INDEX reports_analysed ON reports(analysed_at, id);
CREATE INDEX reports_verdict ON reports(verdict, analysed_at);

CREATE TABLE sections (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    entropy   REAL,
    PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
CREATE INDEX sections_name ON sections(name);

-- One row per distinct (dll, function); `function` is '' for a library linked as a whole
-- (ELF DT_NEEDED, Mach-O load commands).
CREATE TABLE import_names (
    id       INTEGER PRIMARY KEY,
    dll      TEXT NOT NULL COLLATE NOCASE,
    function TEXT NOT NULL COLLATE NOCASE,
    UNIQUE (function, dll)
);
CREATE INDEX import_names_dll ON import_names(dll);

CREATE TABLE imports (
    name_id   INTEGER NOT NULL REFERENCES import_names(id),
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (name_id, report_id)
) WITHOUT ROWID;

CREATE TABLE exports (
    name      TEXT NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (name, report_id)
) WITHOUT ROWID;

CREATE TABLE indicators (
    indicator_id TEXT NOT NULL,
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    severity     TEXT NOT NULL,
    title        TEXT NOT NULL,
    attack_id    TEXT,
    PRIMARY KEY (indicator_id, report_id)
) WITHOUT ROWID;

CREATE TABLE predictions (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    model     TEXT NOT NULL,
    version   TEXT NOT NULL,
    score     REAL,
    label     TEXT NOT NULL,
    PRIMARY KEY (report_id, model)
) WITHOUT ROWID;

-- One document per report (rowid = reports.id): its strings and its IOCs, one per line.
-- Contentless: the text itself stays in the compressed report, the index only finds reports.
CREATE VIRTUAL TABLE report_text USING fts5(strings, iocs, content='', contentless_delete=1);
-- Buffer 32 MB of terms before writing a segment (default 1 MB, about 30 large reports): one
-- writer transaction then makes about one segment, and far fewer segments need merging.
INSERT INTO report_text (report_text, rank) VALUES ('hashsize', 33554432);

CREATE TABLE tags (
    sample_id  INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sample_id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    sample_id  INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX notes_sample ON notes(sample_id);
