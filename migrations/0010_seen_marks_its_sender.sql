-- Whoever an update comes from is seen: their last_seen_at moves and they are reachable again.
-- The database does it as the update's seen record is written, so that every unit of work has
-- it without a statement (a round trip to SQLite's thread) of its own.
CREATE TRIGGER seen_update_marks_its_sender AFTER INSERT ON seen_updates
BEGIN
    UPDATE people SET last_seen_at = NEW.seen_at, unreachable_since = NULL WHERE telegram_id = NEW.chat_id;
END;
