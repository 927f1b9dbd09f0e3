-- Every recurrence the extraction proposes can be stored: quarterly, half-yearly and yearly tasks
-- besides monthly ones. SQLite cannot alter a CHECK in place, so `tasks` is rebuilt with every row
-- and column as it was (the store runs migrations with foreign keys off, as SQLite's procedure for
-- rebuilding a table asks, so that dropping the old table deletes nothing that refers to it); its
-- indexes and its trigger are made again.
--
-- `occurrence_adjustments` was first added by editing migration 0010 after it had landed; 0010 is
-- back to its landed text and the table is made here, unless the edited 0010 made it already.

CREATE TABLE IF NOT EXISTS occurrence_adjustments (
    task_id       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    occurrence    TEXT NOT NULL,                  -- the occurrence's due date by the rule (YYYY-MM-DD)
    adjusted_due  TEXT NOT NULL,                  -- YYYY-MM-DD
    PRIMARY KEY (task_id, occurrence)
);

CREATE TABLE tasks_new (
    id            INTEGER PRIMARY KEY,
    seed_key      TEXT UNIQUE,                 -- NULL for tasks users added
    directive_id  INTEGER REFERENCES directives(id),
    source_id     INTEGER REFERENCES sources(id),
    title_vi      TEXT NOT NULL,
    title_en      TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',    -- rõ người
    owner_en      TEXT NOT NULL DEFAULT '',
    deliverable   TEXT NOT NULL DEFAULT '',    -- rõ sản phẩm
    accountable   TEXT NOT NULL DEFAULT '',    -- rõ trách nhiệm
    due           TEXT NOT NULL,               -- rõ thời gian: the last day allowed
    due_precision TEXT NOT NULL CHECK (due_precision IN ('day', 'month', 'quarter', 'half', 'year')),
    due_phrase    TEXT NOT NULL DEFAULT '',
    recurrence    TEXT CHECK (recurrence IN ('monthly', 'quarterly', 'half-yearly', 'yearly')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    keywords      TEXT NOT NULL DEFAULT '',
    seed_json     TEXT,                        -- the seed entry last applied, to skip unchanged ones
    user_edited   INTEGER NOT NULL DEFAULT 0,  -- set when a user edits seeded fields: seeding then leaves them
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    import_key    TEXT,                        -- an imported task's clause, so a second import adds nothing
    completed_on  TEXT,                        -- YYYY-MM-DD, set by /done, cleared by /reopen
    adjusted_due  TEXT                         -- YYYY-MM-DD, set by /extend; `due` stays the original
);
INSERT INTO tasks_new (id, seed_key, directive_id, source_id, title_vi, title_en, owner, owner_en, deliverable,
                       accountable, due, due_precision, due_phrase, recurrence, status, keywords, seed_json,
                       user_edited, created_at, updated_at, import_key, completed_on, adjusted_due)
    SELECT id, seed_key, directive_id, source_id, title_vi, title_en, owner, owner_en, deliverable,
           accountable, due, due_precision, due_phrase, recurrence, status, keywords, seed_json,
           user_edited, created_at, updated_at, import_key, completed_on, adjusted_due
    FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_by_due ON tasks(due);
CREATE UNIQUE INDEX tasks_by_import_key ON tasks(import_key) WHERE import_key IS NOT NULL;

-- As migration 0006 made it.
CREATE TRIGGER tasks_user_edited
AFTER UPDATE OF directive_id, source_id, title_vi, title_en, owner, owner_en, deliverable, accountable, due,
                due_precision, due_phrase, recurrence, keywords ON tasks
WHEN OLD.seed_key IS NOT NULL AND OLD.user_edited = 0 AND NEW.seed_json IS OLD.seed_json
 AND (NEW.directive_id, NEW.source_id, NEW.title_vi, NEW.title_en, NEW.owner, NEW.owner_en, NEW.deliverable,
      NEW.accountable, NEW.due, NEW.due_precision, NEW.due_phrase, NEW.recurrence, NEW.keywords)
     IS NOT
     (OLD.directive_id, OLD.source_id, OLD.title_vi, OLD.title_en, OLD.owner, OLD.owner_en, OLD.deliverable,
      OLD.accountable, OLD.due, OLD.due_precision, OLD.due_phrase, OLD.recurrence, OLD.keywords)
BEGIN
    UPDATE tasks SET user_edited = 1 WHERE id = NEW.id;
END;
