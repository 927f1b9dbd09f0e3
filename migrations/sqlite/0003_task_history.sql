-- Who changed a task and when; occurrences of monthly tasks marked done one by one; imports.

CREATE TABLE task_events (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,                  -- RFC 3339, UTC
    user_id     INTEGER,                        -- Telegram user id; NULL from the command line
    kind        TEXT NOT NULL CHECK (kind IN ('added', 'imported', 'done', 'reopened', 'note')),
    occurrence  TEXT,                           -- a monthly task's occurrence (YYYY-MM-DD)
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_events_by_task ON task_events(task_id, at);

-- A monthly task's occurrences that are done.
CREATE TABLE occurrences_done (
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    due         TEXT NOT NULL,
    PRIMARY KEY (task_id, due)
);

-- Imported tasks remember what they came from, so importing the same text twice adds nothing twice.
ALTER TABLE tasks ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX tasks_by_import_key ON tasks(import_key) WHERE import_key IS NOT NULL;
