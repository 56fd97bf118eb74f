-- Schema version 4: what was found inside what. One row per entry of a container's report
-- (`children[]`), keyed by content hashes rather than sample ids: a child listed as a duplicate
-- of a submission may have no report of its own, and a sample can sit in many containers.
CREATE TABLE sample_edges (
    parent_sha256 TEXT NOT NULL,
    child_sha256  TEXT NOT NULL,
    -- The child's name inside the container.
    name          TEXT NOT NULL,
    -- Size and format as the container's report listed them, for children never stored.
    size          INTEGER NOT NULL,
    format        TEXT NOT NULL,
    first_seen    INTEGER NOT NULL,
    PRIMARY KEY (parent_sha256, child_sha256, name)
) WITHOUT ROWID;
-- "Where was this found?" reads from the child's side.
CREATE INDEX sample_edges_child ON sample_edges(child_sha256, parent_sha256);
