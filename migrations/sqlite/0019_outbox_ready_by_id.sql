-- The sender's queue in the order it is read: next attempt, then id. SQLite's index carries the
-- rowid (the id) already, so SQLite reads it as before; PostgreSQL's did not, and sorted every
-- pending row at each read (see migrations/postgres/0019).
DROP INDEX outbox_ready;
CREATE INDEX outbox_ready ON outbox(status, next_attempt_at, id);
