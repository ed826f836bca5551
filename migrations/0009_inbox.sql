-- The inbox: every update the bot handles is stored here before Telegram is told it arrived
-- (the next getUpdates acknowledges it), so an update a crash interrupted is handled again
-- after the restart even though Telegram will not deliver it again. An update is done when
-- its seen record (seen_updates, same chat and key) is committed with what it stored.
CREATE TABLE inbox (
    chat_id     INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    update_json TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, key)
);
CREATE INDEX inbox_by_time ON inbox (received_at);
