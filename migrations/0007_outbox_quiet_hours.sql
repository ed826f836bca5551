-- Messages to entrepreneurs that are not replies (reminders, check-in prompts, notices) are held
-- back in the quiet hours when they are sent, not only when they are queued: a backlog after a
-- restart, or a retry that runs late, must not wake anyone at night.
ALTER TABLE outbox ADD COLUMN quiet_hours INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET quiet_hours = 1 WHERE kind LIKE 'reminder\_%' ESCAPE '\' OR kind = 'notice';
