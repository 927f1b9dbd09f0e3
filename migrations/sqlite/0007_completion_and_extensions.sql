-- How officials count: when each task (or monthly occurrence) was finished, and deadlines adjusted
-- with the original kept. The history gains an 'extended' event with the date it set, so the CHECK
-- on its kinds is rebuilt (SQLite cannot alter a CHECK in place).

ALTER TABLE tasks ADD COLUMN completed_on TEXT;          -- YYYY-MM-DD, set by /done, cleared by /reopen
ALTER TABLE tasks ADD COLUMN adjusted_due TEXT;          -- YYYY-MM-DD, set by /extend; `due` stays the original
ALTER TABLE occurrences_done ADD COLUMN completed_on TEXT;

CREATE TABLE task_events_new (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('added', 'imported', 'done', 'reopened', 'note', 'extended')),
    occurrence  TEXT,
    note        TEXT NOT NULL DEFAULT '',
    new_due     TEXT                            -- for 'extended': the adjusted due date (YYYY-MM-DD)
);
INSERT INTO task_events_new (id, task_id, at, user_id, kind, occurrence, note)
    SELECT id, task_id, at, user_id, kind, occurrence, note FROM task_events;
DROP TABLE task_events;
ALTER TABLE task_events_new RENAME TO task_events;
CREATE INDEX task_events_by_task ON task_events(task_id, at);
