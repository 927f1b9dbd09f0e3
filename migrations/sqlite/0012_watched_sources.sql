-- Watched sources (issue 18): the feeds and listing pages the bot reads by itself, the items it has
-- seen in them, and the tasks each new item proposes until an admin reviews them. `sources` is
-- taken by the knowledge base (the articles tasks and figures cite), hence `watched_sources`.

CREATE TABLE watched_sources (
    id                  INTEGER PRIMARY KEY,
    url                 TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL CHECK (kind IN ('rss', 'atom', 'html')),
    name                TEXT NOT NULL DEFAULT '',
    active              INTEGER NOT NULL DEFAULT 1,
    -- For a listing page: which links are items (a regular expression over their address).
    link_pattern        TEXT,
    note                TEXT NOT NULL DEFAULT '',
    etag                TEXT,
    last_modified       TEXT,
    next_check_at       TEXT,                      -- NULL: at the next poll
    consecutive_errors  INTEGER NOT NULL DEFAULT 0,
    last_status         TEXT CHECK (last_status IN ('ok', 'not_modified', 'error')),
    last_error          TEXT,
    last_checked_at     TEXT,
    last_ok_at          TEXT,
    last_item_at        TEXT,                      -- when an item new to the bot last came
    items_seen          INTEGER NOT NULL DEFAULT 0,
    -- The most items the feed ever held: a feed that had items and answers with none is an error.
    max_items           INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- An item seen in a source is never read again from it (by its GUID, else its address).
CREATE TABLE watched_items (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES watched_sources(id) ON DELETE CASCADE,
    item_key      TEXT NOT NULL,
    url           TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    published     TEXT,                            -- YYYY-MM-DD, the item's date in Vietnam
    -- The document it carries: its number ("41/CT-TTg"), else its folded title. The same document
    -- published at several addresses proposes its tasks once.
    document_key  TEXT,
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'no_tasks', 'duplicate', 'unreadable')),
    error         TEXT,
    -- Proposals are sent to the admins once: NULL until then.
    notified_at   TEXT,
    seen_at       TEXT NOT NULL,
    UNIQUE (source_id, item_key)
);
CREATE INDEX watched_items_document ON watched_items(document_key) WHERE status = 'proposed';
CREATE INDEX watched_items_to_notify ON watched_items(status, notified_at);

CREATE TABLE watched_proposals (
    item_id        INTEGER NOT NULL REFERENCES watched_items(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    sentence       TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    due            TEXT NOT NULL,
    due_precision  TEXT NOT NULL,
    due_phrase     TEXT NOT NULL DEFAULT '',
    recurrence     TEXT,
    PRIMARY KEY (item_id, idx)
);

-- A review opened from a watched item: saving it stores its tasks with the item as their source.
ALTER TABLE import_drafts ADD COLUMN source_item_id INTEGER REFERENCES watched_items(id);

-- The day the admins were last told of sources failing or silent: once a day.
CREATE TABLE watched_health_notes (
    day  TEXT PRIMARY KEY                          -- YYYY-MM-DD in the configured time zone
);

-- The official portals' feeds, researched but unreachable from where they were added: inactive
-- until an admin checks and turns them on (`hanchot sources on ID`, `/source on N`).
INSERT INTO watched_sources (url, kind, name, active, note) VALUES
    ('https://xaydungchinhsach.chinhphu.vn/rss/home.rss', 'rss', 'Xây dựng chính sách (chinhphu.vn)', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://baochinhphu.vn/rss/home.rss', 'rss', 'Báo Chính phủ', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://baochinhphu.vn/rss/phap-luat.rss', 'rss', 'Báo Chính phủ · Pháp luật', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://baochinhphu.vn/rss/chuyen-doi-so.rss', 'rss', 'Báo Chính phủ · Chuyển đổi số', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://mst.gov.vn/rss/home.rss', 'rss', 'Bộ Khoa học và Công nghệ', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://mst.gov.vn/rss/tin-tuc-su-kien/chuyen-doi-so.rss', 'rss', 'Bộ KH&CN · Chuyển đổi số', 0, 'built in, not yet checked: turn on after a test poll'),
    ('https://congbao.chinhphu.vn/cac-van-ban-moi-ban-hanh.rss', 'rss', 'Công báo · Văn bản mới ban hành', 0, 'built in, not yet checked: turn on after a test poll');
