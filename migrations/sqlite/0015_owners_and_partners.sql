-- A task's owners and partners apart (issue 20): each a JSON array of names as the directive
-- writes them. `owner` stays, the owners joined by ", ", for the listings and searches that read it.
-- A task stored before this migration has `owners` '[]': it is read as its `owner` alone.
ALTER TABLE tasks ADD COLUMN owners TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN partners TEXT NOT NULL DEFAULT '[]';

-- The same for the proposals of an import under review, with what a table's column says is
-- delivered and whether the date was already past when the text was published.
ALTER TABLE import_proposals ADD COLUMN owners TEXT NOT NULL DEFAULT '[]';
ALTER TABLE import_proposals ADD COLUMN partners TEXT NOT NULL DEFAULT '[]';
ALTER TABLE import_proposals ADD COLUMN deliverable TEXT NOT NULL DEFAULT '';
ALTER TABLE import_proposals ADD COLUMN already_due INTEGER NOT NULL DEFAULT 0;
