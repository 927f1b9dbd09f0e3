-- One sender at a time: processes that share a database take turns holding this lease, so that
-- together they keep within one budget of Telegram's limits.
CREATE TABLE sender_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
