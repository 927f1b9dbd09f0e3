-- SQLite's 0018 in PostgreSQL's types: a watched item's proposals keep the owners and partners
-- apart, the deliverable and whether the date was already past; a document number's key carries
-- its year; one proposed item per document, decided by a unique index.
ALTER TABLE watched_proposals
    ADD COLUMN owners TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN partners TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN deliverable TEXT NOT NULL DEFAULT '',
    ADD COLUMN already_due BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE watched_items
SET document_key = document_key || '@' || to_char(COALESCE(published, (seen_at AT TIME ZONE 'UTC')::date), 'YYYY')
WHERE document_key LIKE 'no:%' AND document_key NOT LIKE 'no:%/____/%' AND document_key NOT LIKE '%@%';

UPDATE watched_items SET status = 'duplicate'
WHERE status = 'proposed' AND document_key IS NOT NULL
  AND id > (SELECT MIN(w.id) FROM watched_items w WHERE w.document_key = watched_items.document_key AND w.status = 'proposed');
DROP INDEX watched_items_document;
CREATE UNIQUE INDEX watched_items_document_once ON watched_items(document_key) WHERE status = 'proposed';
