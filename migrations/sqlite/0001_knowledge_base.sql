-- The knowledge base: sources, directives, their dated tasks, and the programme's figures.
-- Dates are ISO-8601 text (YYYY-MM-DD); periods are "2024", "2022-H1", "2026-Q3", "2023-06" or a date.

CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    publisher  TEXT NOT NULL,
    published  TEXT NOT NULL,
    seed_file  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE directives (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    code       TEXT,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    issuer     TEXT NOT NULL DEFAULT '',
    issued     TEXT,
    source_id  INTEGER REFERENCES sources(id)
);

CREATE TABLE tasks (
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
    recurrence    TEXT CHECK (recurrence IN ('monthly')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    keywords      TEXT NOT NULL DEFAULT '',
    seed_json     TEXT,                        -- the seed entry last applied, to skip unchanged ones
    user_edited   INTEGER NOT NULL DEFAULT 0,  -- set when a user edits seeded fields: seeding then leaves them
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX tasks_by_due ON tasks(due);

CREATE TABLE topics (
    key       TEXT PRIMARY KEY,
    name_vi   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE metrics (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    topic      TEXT NOT NULL REFERENCES topics(key),
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    unit_vi    TEXT NOT NULL DEFAULT '',
    unit_en    TEXT NOT NULL DEFAULT '',
    seed_json  TEXT
);

CREATE TABLE metric_aliases (
    metric_id  INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    PRIMARY KEY (metric_id, alias)
);

CREATE TABLE observations (
    id         INTEGER PRIMARY KEY,
    metric_id  INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
    value      REAL NOT NULL,
    out_of     REAL,
    period     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('actual', 'target')),
    qualifier  TEXT CHECK (qualifier IN ('over', 'about', 'nearly')),
    scope      TEXT NOT NULL DEFAULT '',       -- '' national, else a province
    note_vi    TEXT NOT NULL DEFAULT '',
    note_en    TEXT NOT NULL DEFAULT '',
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    seed_json  TEXT                            -- the seed entry it came from; NULL when a user added it
);
CREATE UNIQUE INDEX observations_by_seed ON observations(source_id, seed_json) WHERE seed_json IS NOT NULL;
CREATE INDEX observations_by_metric ON observations(metric_id);

-- Chats the bot talks to, and their choices.
CREATE TABLE chats (
    chat_id     INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'private' CHECK (kind IN ('private', 'group', 'supergroup', 'channel')),
    lang        TEXT CHECK (lang IN ('vi', 'en')),  -- NULL: follow the user's Telegram language
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE subscriptions (
    chat_id     INTEGER PRIMARY KEY REFERENCES chats(chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
    filter      TEXT NOT NULL DEFAULT '',     -- owner or keyword; '' for every task
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
