-- A user's edit of a seeded task survives later seeds. Seeding writes a task's fields together with
-- its entry (`seed_json`); any other write that changes a seeded field (a user's, by the bot or by
-- hand in the database) leaves `seed_json` as it was, and marks the row edited: seeding then leaves
-- the row alone. Status and history are not seeded fields: marking a task done is not an edit.

CREATE TRIGGER tasks_user_edited
AFTER UPDATE OF directive_id, source_id, title_vi, title_en, owner, owner_en, deliverable, accountable, due,
                due_precision, due_phrase, recurrence, keywords ON tasks
WHEN OLD.seed_key IS NOT NULL AND OLD.user_edited = 0 AND NEW.seed_json IS OLD.seed_json
 AND (NEW.directive_id, NEW.source_id, NEW.title_vi, NEW.title_en, NEW.owner, NEW.owner_en, NEW.deliverable,
      NEW.accountable, NEW.due, NEW.due_precision, NEW.due_phrase, NEW.recurrence, NEW.keywords)
     IS NOT
     (OLD.directive_id, OLD.source_id, OLD.title_vi, OLD.title_en, OLD.owner, OLD.owner_en, OLD.deliverable,
      OLD.accountable, OLD.due, OLD.due_precision, OLD.due_phrase, OLD.recurrence, OLD.keywords)
BEGIN
    UPDATE tasks SET user_edited = 1 WHERE id = NEW.id;
END;
