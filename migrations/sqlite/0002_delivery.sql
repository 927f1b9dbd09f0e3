-- Per-chat settings, subscription planning state, and the outbox of owed messages.

ALTER TABLE chats ADD COLUMN digest_time TEXT;                        -- 'HH:MM' local; NULL: the configured schedule
ALTER TABLE chats ADD COLUMN digest_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN timezone TEXT;                           -- IANA name; NULL: the configured one
ALTER TABLE chats ADD COLUMN remind_days TEXT;                        -- '30,7,1,0'; NULL: the configured days
ALTER TABLE chats ADD COLUMN muted_until TEXT;                        -- RFC 3339, UTC
ALTER TABLE chats ADD COLUMN empty_digest INTEGER NOT NULL DEFAULT 0; -- send a digest even when nothing is due

ALTER TABLE subscriptions ADD COLUMN planned_through TEXT;            -- slots up to here are planned (RFC 3339, UTC)
ALTER TABLE subscriptions ADD COLUMN next_slot_at TEXT;               -- the next slot to plan
ALTER TABLE subscriptions ADD COLUMN deactivated_reason TEXT;         -- why sending stopped (blocked, kicked…)
CREATE INDEX subscriptions_due ON subscriptions(active, next_slot_at);

-- Every message owed is a row before it is sent: claimed atomically, then marked sent with
-- Telegram's message id, or failed with the error. Keys make planning idempotent.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,         -- digest:<chat>:<slot>, remind:<chat>:<task>:<lead>:<due>
    chat_id          INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('digest', 'reminder')),
    body             TEXT NOT NULL,                -- the HTML, rendered when planned
    scheduled_at     TEXT NOT NULL,                -- the slot it belongs to (RFC 3339, UTC)
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    late             INTEGER NOT NULL DEFAULT 0,   -- sent after its slot, because the bot was down
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    parts_sent       INTEGER NOT NULL DEFAULT 0,   -- of a long message split in parts
    claimed_by       TEXT,
    claimed_at       TEXT,
    message_id       INTEGER,
    sent_at          TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX outbox_ready ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_chat ON outbox(chat_id, status);
