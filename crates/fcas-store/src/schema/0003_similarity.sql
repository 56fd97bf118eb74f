-- Schema version 3: candidate indexes for similarity search.
-- TLSH: the length byte (L-value) of each hash. Two hashes whose L-values differ by d are at
-- least 12*d apart (d > 1), so a top-K search visits buckets nearest first and stops early.
CREATE TABLE tlsh_index (
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    lvalue    INTEGER NOT NULL,
    tlsh      TEXT NOT NULL
);
CREATE INDEX tlsh_index_lvalue ON tlsh_index(lvalue);

-- ssdeep: every 7-gram of each chunk keyed with the chunk's block size. ssdeep scores 0 unless
-- two chunks of the same block size share a 7-character substring, so these keys find every
-- sample that can score above 0.
CREATE TABLE ssdeep_grams (
    gram      INTEGER NOT NULL,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    PRIMARY KEY (gram, sample_id)
) WITHOUT ROWID;
