-- One delivery pipeline with lanes: replies first, then messages to staff, then bulk
-- (reminders, prompts). A reply queued behind thousands of reminders leaves before them.
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 1;
UPDATE outbox SET lane = 2 WHERE quiet_hours = 1;
CREATE INDEX outbox_due_by_lane ON outbox (status, lane, next_attempt_at, id);
