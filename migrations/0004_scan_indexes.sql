-- The scan counts the reminders delivered to each person since they were last seen: with
-- the time in the index that count reads only those rows, however long the history.
DROP INDEX outbox_by_person;
CREATE INDEX outbox_by_person ON outbox (person_id, status, sent_at);
