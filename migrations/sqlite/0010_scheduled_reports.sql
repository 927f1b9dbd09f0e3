-- A chat's report on a schedule (`/report monthly`, `/report weekly`): how often and for which
-- tasks, kept with the subscription it is planned through. A chat that asked for the report alone
-- gets no digest and no reminders (`report_only`) until it subscribes.
ALTER TABLE subscriptions ADD COLUMN report_every TEXT CHECK (report_every IN ('month', 'week'));  -- NULL: off
ALTER TABLE subscriptions ADD COLUMN report_filter TEXT NOT NULL DEFAULT '';                      -- as /report takes it
ALTER TABLE subscriptions ADD COLUMN report_only INTEGER NOT NULL DEFAULT 0;

-- The outbox gains the kind 'report'; SQLite cannot alter a CHECK in place, so the table is rebuilt
-- with every row and column as it was.
CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,         -- digest:<chat>:<slot>, remind:<chat>:<task>:<lead>:<due>, report:<chat>:<period>
    chat_id          INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('digest', 'reminder', 'report')),
    body             TEXT NOT NULL,
    scheduled_at     TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    late             INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    parts_sent       INTEGER NOT NULL DEFAULT 0,
    claimed_by       TEXT,
    claimed_at       TEXT,
    message_id       INTEGER,
    sent_at          TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    body_id          INTEGER REFERENCES outbox_bodies(id)
);
INSERT INTO outbox_new (id, key, chat_id, kind, body, scheduled_at, status, late, attempts, next_attempt_at,
                        parts_sent, claimed_by, claimed_at, message_id, sent_at, error, created_at, body_id)
    SELECT id, key, chat_id, kind, body, scheduled_at, status, late, attempts, next_attempt_at,
           parts_sent, claimed_by, claimed_at, message_id, sent_at, error, created_at, body_id
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_ready ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_chat ON outbox(chat_id, status);
