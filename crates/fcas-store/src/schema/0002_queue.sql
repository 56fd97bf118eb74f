-- Schema version 2: the durable scan queue.
CREATE TABLE batches (
    id             INTEGER PRIMARY KEY,
    created_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    engine_version TEXT NOT NULL,
    models_version TEXT NOT NULL,
    rescan         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE jobs (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    size      INTEGER,
    mtime     INTEGER,
    state     TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts  INTEGER NOT NULL DEFAULT 0,
    outcome   TEXT,
    report_id INTEGER REFERENCES reports(id),
    updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_batch_state ON jobs(batch_id, state);
CREATE UNIQUE INDEX jobs_report ON jobs(report_id) WHERE report_id IS NOT NULL AND outcome = 'stored';
