-- How each stored picture was sent: a Telegram file id can be sent on only with the method
-- of its own kind (a photo with sendPhoto, an image sent as a file with sendDocument).
-- Rows from before held photos only.
ALTER TABLE sales ADD COLUMN photo_sent_as TEXT NOT NULL DEFAULT 'photo' CHECK (photo_sent_as IN ('photo', 'document'));
ALTER TABLE payments ADD COLUMN photo_sent_as TEXT NOT NULL DEFAULT 'photo' CHECK (photo_sent_as IN ('photo', 'document'));
