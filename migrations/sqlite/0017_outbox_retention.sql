-- Retention: finished outbox rows are pruned by age, and the texts no row uses any more with them.
CREATE INDEX outbox_finished_by_slot ON outbox(status, scheduled_at);
CREATE INDEX outbox_by_body ON outbox(body_id);
