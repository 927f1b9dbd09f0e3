-- Running as a service: the inbox of updates from Telegram, a few values the service keeps (the
-- webhook's secret), and the private calendar addresses with their events' revisions.

-- Every update is a row before Telegram is told it arrived (HTTP 200 to a webhook, the next offset
-- when polling): it is handled from here, and marked handled when its replies are queued.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,          -- Telegram's: a resent update is the same row
    kind         TEXT NOT NULL,                -- message, callback_query, edited_message…
    body         TEXT NOT NULL,                -- the update as Telegram sent it (JSON)
    received_at  TEXT NOT NULL,                -- RFC 3339, UTC
    attempts     INTEGER NOT NULL DEFAULT 0,   -- times it was given to the handlers
    handled_at   TEXT                          -- NULL until its replies are queued
);
CREATE INDEX inbox_unhandled ON inbox(handled_at, update_id);

-- Values the service generates once and keeps: the webhook's secret token.
CREATE TABLE service_values (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- A chat's private calendar address, one per chat and filter; only the token's SHA-256 is kept.
CREATE TABLE calendar_tokens (
    token_hash  TEXT PRIMARY KEY,              -- hex SHA-256 of the token in the address
    chat_id     INTEGER NOT NULL,
    filter      TEXT NOT NULL,                 -- as /ics takes it; '' for none
    generation  INTEGER NOT NULL DEFAULT 0,    -- `/calendar new` moves to the next
    created_at  TEXT NOT NULL,
    UNIQUE (chat_id, filter)
);

-- What each calendar event last looked like, so that SEQUENCE and LAST-MODIFIED move when, and
-- only when, its task changes.
CREATE TABLE calendar_revisions (
    uid          TEXT PRIMARY KEY,             -- the event's UID (a task's)
    fingerprint  TEXT NOT NULL,                -- hex SHA-256 of what the event says about the task
    sequence     INTEGER NOT NULL DEFAULT 0,
    modified_at  TEXT NOT NULL
);
