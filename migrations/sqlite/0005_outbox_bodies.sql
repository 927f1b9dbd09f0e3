-- A broadcast sends the same digest text to many chats: store each text once.
CREATE TABLE outbox_bodies (
    id    INTEGER PRIMARY KEY,
    body  TEXT NOT NULL UNIQUE
);
ALTER TABLE outbox ADD COLUMN body_id INTEGER REFERENCES outbox_bodies(id);
