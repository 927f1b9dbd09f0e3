-- Issue 21. A metric is a level (a count, a share, a rank: the default) or a dated event (a launch,
-- a law passed) whose figures are texts, never counts; a metric of changes names the metric it is
-- the change of (places gained in the EGDI ranking of the EGDI rank). A stored change says the period
-- it is measured from; an event's figure is its text in both languages (its `value` is ignored).
ALTER TABLE metrics ADD COLUMN measure TEXT NOT NULL DEFAULT 'level' CHECK (measure IN ('level', 'event'));
ALTER TABLE metrics ADD COLUMN change_of TEXT;
ALTER TABLE observations ADD COLUMN base TEXT;
ALTER TABLE observations ADD COLUMN text_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE observations ADD COLUMN text_en TEXT NOT NULL DEFAULT '';
