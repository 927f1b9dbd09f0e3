-- Watched items (issue 18), after the merges:
-- 1. A watched item's proposals keep what an imported text's keep (migration 0015): the owners and
--    partners apart, the deliverable, and whether the date was already past when it was published.
ALTER TABLE watched_proposals ADD COLUMN owners TEXT NOT NULL DEFAULT '[]';
ALTER TABLE watched_proposals ADD COLUMN partners TEXT NOT NULL DEFAULT '[]';
ALTER TABLE watched_proposals ADD COLUMN deliverable TEXT NOT NULL DEFAULT '';
ALTER TABLE watched_proposals ADD COLUMN already_due INTEGER NOT NULL DEFAULT 0;

-- 2. A document's number is its own within a year only (Chỉ thị 41/CT-TTg comes every year): the
--    key of a number without its year gets the year of the item, "no:41/ct-ttg@2026".
UPDATE watched_items SET document_key = document_key || '@' || substr(COALESCE(published, seen_at), 1, 4)
WHERE document_key LIKE 'no:%' AND document_key NOT LIKE 'no:%/____/%' AND document_key NOT LIKE '%@%';

-- 3. One proposed item per document, whichever poll (or process) records it first: the database
--    says so, not a look before the write. Items proposed twice before this are kept as duplicates.
UPDATE watched_items SET status = 'duplicate'
WHERE status = 'proposed' AND document_key IS NOT NULL
  AND id > (SELECT MIN(w.id) FROM watched_items w WHERE w.document_key = watched_items.document_key AND w.status = 'proposed');
DROP INDEX watched_items_document;
CREATE UNIQUE INDEX watched_items_document_once ON watched_items(document_key) WHERE status = 'proposed';
