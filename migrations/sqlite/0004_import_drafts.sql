-- A directive sent to the bot in Telegram is a draft until an admin saves it: its proposed tasks
-- wait here, each kept or dropped, its date or owner edited.

CREATE TABLE import_drafts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER,
    published   TEXT NOT NULL,                  -- YYYY-MM-DD: "năm nay" is this year
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'saved', 'cancelled')),
    awaiting    TEXT                            -- '<idx>:due' or '<idx>:owner' while waiting for a typed value
);
CREATE INDEX import_drafts_open ON import_drafts(chat_id, status);

CREATE TABLE import_proposals (
    draft_id       INTEGER NOT NULL REFERENCES import_drafts(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    sentence       TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    due            TEXT NOT NULL,
    due_precision  TEXT NOT NULL,
    due_phrase     TEXT NOT NULL DEFAULT '',
    recurrence     TEXT,
    keep           INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (draft_id, idx)
);
