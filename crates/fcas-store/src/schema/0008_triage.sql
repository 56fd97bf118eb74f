-- Schema version 8: the triage loop.
-- `reviewed_at`: when the analyst marked the sample reviewed (NULL: not reviewed).
-- `name`: the name the sample was last seen under, kept here by triggers so that History can sort
-- by name from an index instead of reading `sample_names` for every sample.
ALTER TABLE samples ADD COLUMN reviewed_at INTEGER;
ALTER TABLE samples ADD COLUMN name TEXT;

UPDATE samples SET name = (SELECT n.name FROM sample_names n WHERE n.sample_id = samples.id ORDER BY n.last_seen DESC, n.name LIMIT 1);

CREATE TRIGGER sample_names_latest_after_insert AFTER INSERT ON sample_names BEGIN
    UPDATE samples SET name = (SELECT n.name FROM sample_names n WHERE n.sample_id = NEW.sample_id ORDER BY n.last_seen DESC, n.name LIMIT 1)
    WHERE id = NEW.sample_id;
END;
CREATE TRIGGER sample_names_latest_after_update AFTER UPDATE ON sample_names BEGIN
    UPDATE samples SET name = (SELECT n.name FROM sample_names n WHERE n.sample_id = NEW.sample_id ORDER BY n.last_seen DESC, n.name LIMIT 1)
    WHERE id = NEW.sample_id;
END;

-- History's sortable columns (date and verdict already have `reports_analysed`, `reports_verdict`).
-- The row id ends every index, so ties keep a stable order.
CREATE INDEX samples_name ON samples(name COLLATE NOCASE);
CREATE INDEX samples_size ON samples(size);
CREATE INDEX samples_format ON samples(format);
CREATE INDEX samples_reviewed ON samples(reviewed_at);
CREATE INDEX reports_score ON reports(score);
