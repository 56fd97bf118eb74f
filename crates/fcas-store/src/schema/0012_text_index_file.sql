-- Schema version 12: the full-text index moves to a database file of its own beside the store
-- (`<store>-text`, attached to every connection as `text`), written by a thread of its own
-- (crates/fcas-store/src/fulltext.rs). The index in this file is dropped; the new one is built
-- from the stored reports when the store is next opened, in batches that record how far they
-- got, so an interrupted rebuild resumes where it stopped.
DROP TABLE IF EXISTS report_text;
