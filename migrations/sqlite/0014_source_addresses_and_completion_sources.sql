-- Where each fact can be read: a source's web address (tasks and figures carry their source's), and
-- for a task known done from a later report, that report (title, address, date). A figure proposed
-- from an imported text waits in its draft (JSON), like the draft's tasks, until approved.
ALTER TABLE sources ADD COLUMN url TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN completion_title TEXT;
ALTER TABLE tasks ADD COLUMN completion_url TEXT;
ALTER TABLE tasks ADD COLUMN completion_published TEXT;     -- YYYY-MM-DD
