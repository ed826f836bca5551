-- Every answer is an outbox row, changes to a message already sent included (the next question
-- of a check-in shown in its own message, a summary marked done, a page of the list of people):
-- such a row edits the message `edit_message_id` instead of sending a new one.
--   replace: its text and buttons; sent as a new message when it can no longer be edited
--   mark:    its text, with no buttons; left as it is when it can no longer be edited
--   buttons: its buttons only (none: removed); left as it is when it can no longer be edited
ALTER TABLE outbox ADD COLUMN edit_message_id INTEGER;
ALTER TABLE outbox ADD COLUMN edit_kind TEXT CHECK (edit_kind IN ('replace', 'mark', 'buttons'));
