-- Schema version 11: what a scan learnt about each original file it hashed, so a later session
-- reads the file's bytes (the hex view) without hashing it again while its size and modification
-- time are those it was hashed at. One row per path, replaced by the next scan of that path.
CREATE TABLE file_stamps (
    path     BLOB NOT NULL PRIMARY KEY, -- TEXT when the path is UTF-8, else its bytes
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,          -- modification time before the hash, ns since 1970
    sha256   TEXT NOT NULL
) WITHOUT ROWID;
