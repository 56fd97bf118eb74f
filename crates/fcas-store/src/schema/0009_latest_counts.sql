-- Schema version 9: `stats` without joining every sample to its latest report. The samples'
-- formats and the verdicts and indicators of their latest reports are counted here, kept up to
-- date by the triggers below as reports are stored (samples, reports and indicators are never
-- deleted; of what is counted, only `samples.format` and `samples.latest_report_id` change). At
-- 100,000 reports the two joins took 150 to 180 ms each (docs/BENCHMARKS.md, store).
CREATE TABLE latest_counts (
    kind  TEXT NOT NULL CHECK (kind IN ('format', 'verdict', 'indicator')),
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

-- A sample's previous latest report stops counting when a newer one replaces it.
CREATE INDEX indicators_report ON indicators(report_id);

INSERT INTO latest_counts (kind, value, count)
SELECT 'format', format, count(*) FROM samples GROUP BY 2;
INSERT INTO latest_counts (kind, value, count)
SELECT 'verdict', coalesce(r.verdict, 'none'), count(*) FROM reports r CROSS JOIN samples s ON s.latest_report_id = r.id
GROUP BY 2;
INSERT INTO latest_counts (kind, value, count)
SELECT 'indicator', i.indicator_id, count(*) FROM indicators i JOIN samples s ON s.latest_report_id = i.report_id
GROUP BY 2;

CREATE TRIGGER latest_counts_on_new_latest AFTER UPDATE OF latest_report_id ON samples
WHEN OLD.latest_report_id IS NOT NEW.latest_report_id
BEGIN
    UPDATE latest_counts SET count = count - 1
    WHERE kind = 'verdict' AND value = (SELECT coalesce(verdict, 'none') FROM reports WHERE id = OLD.latest_report_id);
    UPDATE latest_counts SET count = count - 1
    WHERE kind = 'indicator' AND value IN (SELECT indicator_id FROM indicators WHERE report_id = OLD.latest_report_id);
    INSERT INTO latest_counts (kind, value, count)
    SELECT 'verdict', coalesce(verdict, 'none'), 1 FROM reports WHERE id = NEW.latest_report_id
    ON CONFLICT (kind, value) DO UPDATE SET count = count + 1;
    INSERT INTO latest_counts (kind, value, count)
    SELECT 'indicator', indicator_id, 1 FROM indicators WHERE report_id = NEW.latest_report_id
    ON CONFLICT (kind, value) DO UPDATE SET count = count + 1;
END;

-- The writer stores a report's indicators after making it the latest: count them as they come.
CREATE TRIGGER latest_counts_on_indicator AFTER INSERT ON indicators
WHEN EXISTS (SELECT 1 FROM samples WHERE latest_report_id = NEW.report_id)
BEGIN
    INSERT INTO latest_counts (kind, value, count) VALUES ('indicator', NEW.indicator_id, 1)
    ON CONFLICT (kind, value) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER latest_counts_on_sample AFTER INSERT ON samples
BEGIN
    INSERT INTO latest_counts (kind, value, count) VALUES ('format', NEW.format, 1)
    ON CONFLICT (kind, value) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER latest_counts_on_format AFTER UPDATE OF format ON samples
WHEN OLD.format IS NOT NEW.format
BEGIN
    UPDATE latest_counts SET count = count - 1 WHERE kind = 'format' AND value = OLD.format;
    INSERT INTO latest_counts (kind, value, count) VALUES ('format', NEW.format, 1)
    ON CONFLICT (kind, value) DO UPDATE SET count = count + 1;
END;
