//! What Telegram refuses that `api.json` does not say: the rules of
//! `shared/telegram-bot-api/BEHAVIOUR.md`, each with the answer Telegram gives. The rules
//! apply whether or not an `ApiSpec` was given: they are behaviour, not schema.

use serde_json::{Map, Value};

/// Telegram's limits that the description states only in prose (BEHAVIOUR.md rows 8, 9).
pub const MAX_TEXT_CHARS: usize = 4096;
pub const MAX_CAPTION_CHARS: usize = 1024;
pub const MAX_CALLBACK_DATA_BYTES: usize = 64;
pub const MAX_CALLBACK_ANSWER_CHARS: usize = 200;
/// Keyboard sizes (tginfo/Telegram-Limits #228; rubenlagus/TelegramBots #218).
pub const MAX_INLINE_BUTTONS: usize = 100;
pub const MAX_INLINE_BUTTONS_PER_ROW: usize = 8;
pub const MAX_KEYBOARD_BUTTONS: usize = 300;
pub const MAX_KEYBOARD_BUTTONS_PER_ROW: usize = 12;
/// The serialised reply_markup, in bytes (tginfo/Telegram-Limits #187: «on markup json len >
/// 10kB: Reply markup is too long»).
pub const MAX_MARKUP_BYTES: usize = 10 * 1024;
/// Files (BEHAVIOUR.md row 15; core.telegram.org/bots/api#getfile, #sendphoto).
pub const MAX_DOWNLOAD_BYTES: u64 = 20 * 1024 * 1024;
pub const MAX_PHOTO_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

// Telegram's answers, as bots receive them (teloxide maps several to `ApiError` variants by
// this exact text: teloxide-core/src/errors.rs).
pub const CANT_BE_EDITED: &str = "Bad Request: message can't be edited";
pub const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
pub const NO_TEXT_TO_EDIT: &str = "Bad Request: there is no text in the message to edit";
pub const NO_CAPTION_TO_EDIT: &str = "Bad Request: there is no caption in the message to edit";
pub const EDIT_NOT_FOUND: &str = "Bad Request: message to edit not found";
pub const DELETE_NOT_FOUND: &str = "Bad Request: message to delete not found";
pub const CANT_BE_DELETED: &str = "Bad Request: message can't be deleted";
pub const FORWARD_NOT_FOUND: &str = "Bad Request: message to forward not found";
pub const COPY_NOT_FOUND: &str = "Bad Request: message to copy not found";
pub const QUERY_TOO_OLD: &str = "Bad Request: query is too old and response timeout expired or query ID is invalid";
pub const CANT_INITIATE: &str = "Forbidden: bot can't initiate conversation with a user";
pub const BLOCKED: &str = "Forbidden: bot was blocked by the user";
pub const TEXT_EMPTY: &str = "Bad Request: message text is empty";
pub const TEXT_TOO_LONG: &str = "Bad Request: message is too long";
pub const EDITED_TEXT_TOO_LONG: &str = "Bad Request: MESSAGE_TOO_LONG";
pub const CAPTION_TOO_LONG: &str = "Bad Request: message caption is too long";
pub const BUTTON_DATA_INVALID: &str = "Bad Request: BUTTON_DATA_INVALID";
/// An inline or reply button with an empty label (MTProto's BUTTON_TEXT_INVALID).
pub const BUTTON_TEXT_INVALID: &str = "Bad Request: BUTTON_TEXT_INVALID";
/// An inline button with no action (teloxide's `ApiError::TextButtonsAreUnallowed`).
pub const TEXT_BUTTONS_UNALLOWED: &str =
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
/// A button of a kind not allowed in this chat: Telegram answers so for button types that work
/// in private chats only (tbxark/mail2telegram #29).
pub const BUTTON_TYPE_INVALID: &str = "Bad Request: BUTTON_TYPE_INVALID";
pub const MARKUP_TOO_LONG: &str = "Bad Request: reply markup is too long";
pub const TERMINATED_BY_OTHER: &str =
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
pub const WEBHOOK_ACTIVE: &str =
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
pub const WRONG_FILE_ID: &str = "Bad Request: wrong file identifier/HTTP URL specified";
pub const FILE_TYPE_MISMATCH: &str = "Bad Request: type of file mismatch";
pub const INVALID_FILE_ID: &str = "Bad Request: invalid file_id";
pub const FILE_TOO_BIG: &str = "Bad Request: file is too big";
pub const CHAT_NOT_FOUND: &str = "Bad Request: chat not found";
pub const NO_MESSAGE_ID: &str = "Bad Request: message identifier is not specified";

/// A non-2xx answer the fake gave for a rule's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub method: String,
    pub error_code: u16,
    pub description: String,
}

/// Why a request is refused: Telegram's answer, and, when the bot should never have made the
/// request, what was wrong with it (recorded as a violation).
#[derive(Debug, Clone)]
pub struct Refused {
    pub error_code: u16,
    pub description: String,
    pub violation: Option<String>,
}

impl Refused {
    /// A request the bot should never make: 400, and a violation explaining it.
    pub fn violation(description: &str, detail: impl Into<String>) -> Refused {
        Refused { error_code: 400, description: description.to_string(), violation: Some(detail.into()) }
    }

    /// A refusal a correct bot may still meet (the person deleted the message, blocked the bot…).
    pub fn refusal(error_code: u16, description: &str) -> Refused {
        Refused { error_code, description: description.to_string(), violation: None }
    }
}

/// Length as Telegram counts it: in UTF-16 code units (entity offsets and lengths are UTF-16,
/// core.telegram.org/bots/api#messageentity). Outside the Basic Multilingual Plane (emoji) this
/// counts 2 where a count of characters counts 1: the stricter reading of «characters».
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Rule 8 (BEHAVIOUR.md row 8): text is 1–4096 characters. `edit` picks editMessageText's
/// answer for a too long text.
pub fn check_text(method: &str, text: Option<&str>, edit: bool) -> Result<(), Refused> {
    let text = text.unwrap_or("");
    // Telegram trims the text: a text of spaces is empty.
    if text.trim().is_empty() {
        return Err(Refused::violation(TEXT_EMPTY, format!("{method}: empty text (allowed 1–{MAX_TEXT_CHARS})")));
    }
    let n = utf16_len(text);
    if n > MAX_TEXT_CHARS {
        let answer = if edit { EDITED_TEXT_TOO_LONG } else { TEXT_TOO_LONG };
        return Err(Refused::violation(
            answer,
            format!("{method}: text of {n} UTF-16 code units (allowed 1–{MAX_TEXT_CHARS})"),
        ));
    }
    Ok(())
}

/// Rule 8: a caption is 0–1024 characters.
pub fn check_caption(method: &str, caption: Option<&str>) -> Result<(), Refused> {
    let n = caption.map_or(0, utf16_len);
    if n > MAX_CAPTION_CHARS {
        return Err(Refused::violation(
            CAPTION_TOO_LONG,
            format!("{method}: caption of {n} UTF-16 code units (allowed up to {MAX_CAPTION_CHARS})"),
        ));
    }
    Ok(())
}

/// What a message's markup makes of it.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkupKind {
    /// No markup, or an inline keyboard without buttons (Telegram treats `[]` as none).
    None,
    /// A non-empty inline keyboard: the message keeps it, and stays editable.
    Inline(Value),
    /// A reply keyboard, `remove_keyboard` or `force_reply`: the message can never be edited
    /// (rule 1).
    Other,
}

/// The request's reply_markup, parsed (multipart bodies carry it as a JSON string).
pub fn markup_of(params: &Map<String, Value>) -> Option<Value> {
    match params.get("reply_markup")? {
        Value::String(s) => serde_json::from_str(s).ok(),
        Value::Null => None,
        v => Some(v.clone()),
    }
}

fn button_label(button: &Value) -> Option<&str> {
    button.as_str().or_else(|| button.get("text").and_then(Value::as_str))
}

/// Rule 9 and rule 16 (BEHAVIOUR.md rows 9, 16): checks a reply_markup, and says what it is.
pub fn check_markup(method: &str, markup: Option<&Value>, chat: Option<i64>) -> Result<MarkupKind, Refused> {
    let Some(markup) = markup else {
        return Ok(MarkupKind::None);
    };
    let bytes = markup.to_string().len();
    if bytes > MAX_MARKUP_BYTES {
        return Err(Refused::violation(
            MARKUP_TOO_LONG,
            format!("{method}: reply_markup of {bytes} bytes (allowed up to {MAX_MARKUP_BYTES})"),
        ));
    }
    let rows_of = |key: &str| -> Option<Vec<Vec<Value>>> {
        let rows = markup.get(key)?.as_array()?;
        Some(rows.iter().map(|r| r.as_array().cloned().unwrap_or_default()).collect())
    };
    let too_many = |rows: &[Vec<Value>], most: usize, per_row: usize, what: &str| -> Result<(), Refused> {
        let total: usize = rows.iter().map(Vec::len).sum();
        let widest = rows.iter().map(Vec::len).max().unwrap_or(0);
        if total > most || widest > per_row {
            return Err(Refused::violation(
                MARKUP_TOO_LONG,
                format!(
                    "{method}: {what} of {total} buttons, {widest} in the widest row (allowed {most}, {per_row} a row)"
                ),
            ));
        }
        Ok(())
    };
    if let Some(rows) = rows_of("inline_keyboard") {
        too_many(&rows, MAX_INLINE_BUTTONS, MAX_INLINE_BUTTONS_PER_ROW, "an inline keyboard")?;
        for button in rows.iter().flatten() {
            if button_label(button).is_none_or(str::is_empty) {
                return Err(Refused::violation(BUTTON_TEXT_INVALID, format!("{method}: inline button without text")));
            }
            if let Some(data) = button.get("callback_data").and_then(Value::as_str)
                && (data.is_empty() || data.len() > MAX_CALLBACK_DATA_BYTES)
            {
                return Err(Refused::violation(
                    BUTTON_DATA_INVALID,
                    format!("{method}: callback_data of {} bytes (allowed 1–{MAX_CALLBACK_DATA_BYTES})", data.len()),
                ));
            }
            let actions = button.as_object().map_or(0, |b| b.keys().filter(|k| k.as_str() != "text").count());
            if actions == 0 {
                return Err(Refused::violation(
                    TEXT_BUTTONS_UNALLOWED,
                    format!("{method}: inline button {:?} does nothing", button_label(button).unwrap_or("")),
                ));
            }
        }
        return Ok(if rows.iter().all(Vec::is_empty) { MarkupKind::None } else { MarkupKind::Inline(markup.clone()) });
    }
    if let Some(rows) = rows_of("keyboard") {
        too_many(&rows, MAX_KEYBOARD_BUTTONS, MAX_KEYBOARD_BUTTONS_PER_ROW, "a reply keyboard")?;
        for button in rows.iter().flatten() {
            if button_label(button).is_none_or(str::is_empty) {
                return Err(Refused::violation(BUTTON_TEXT_INVALID, format!("{method}: keyboard button without text")));
            }
            // Rule 16: request_contact works in private chats only
            // (core.telegram.org/bots/api#keyboardbutton: «Available in private chats only»).
            let asks_contact = button.get("request_contact").and_then(Value::as_bool) == Some(true);
            if asks_contact && chat.is_some_and(|c| c < 0) {
                return Err(Refused::violation(
                    BUTTON_TYPE_INVALID,
                    format!("{method}: a request_contact button sent to the group chat {}", chat.unwrap_or(0)),
                ));
            }
        }
    }
    Ok(MarkupKind::Other)
}

/// The kinds of update Telegram delivers when no `allowed_updates` was ever given
/// (core.telegram.org/bots/api#getupdates: «all update types except chat_member,
/// message_reaction, and message_reaction_count»).
pub fn allowed_by_default(kind: &str) -> bool {
    !matches!(kind, "chat_member" | "message_reaction" | "message_reaction_count")
}

/// A deep-link `start` parameter as Telegram passes it on: 1–64 characters of
/// `A–Z a–z 0–9 _ -` (core.telegram.org/bots/features#deep-linking).
pub fn valid_start_parameter(p: &str) -> bool {
    (1..=64).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The file kinds, by the message field that carries them.
pub const FILE_KINDS: [&str; 8] =
    ["photo", "document", "voice", "audio", "video", "animation", "sticker", "video_note"];

/// The file kind a sending method sends (sendPhoto → photo…).
pub fn kind_of_method(method: &str) -> Option<&'static str> {
    Some(match method {
        "sendPhoto" => "photo",
        "sendDocument" => "document",
        "sendVoice" => "voice",
        "sendAudio" => "audio",
        "sendVideo" => "video",
        "sendAnimation" => "animation",
        "sendSticker" => "sticker",
        "sendVideoNote" => "video_note",
        _ => return None,
    })
}

/// Methods that write a new message to a chat (rule 7 applies to them; so do flood limits).
pub const SENDING_METHODS: [&str; 15] = [
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendVoice",
    "sendAudio",
    "sendVideo",
    "sendAnimation",
    "sendSticker",
    "sendVideoNote",
    "sendContact",
    "sendLocation",
    "sendMediaGroup",
    "sendPoll",
    "forwardMessage",
    "copyMessage",
];

/// Methods that change a message already sent.
pub const EDITING_METHODS: [&str; 4] =
    ["editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn length_is_counted_in_utf16_code_units() {
        assert_eq!(utf16_len("سلام"), 4);
        assert_eq!(utf16_len("😀"), 2);
        assert!(check_text("sendMessage", Some(&"😀".repeat(2048)), false).is_ok());
        assert!(check_text("sendMessage", Some(&"😀".repeat(2049)), false).is_err());
    }

    #[test]
    fn markup_kinds() {
        let inline = json!({ "inline_keyboard": [[{ "text": "a", "callback_data": "b" }]] });
        assert!(matches!(check_markup("m", Some(&inline), Some(1)), Ok(MarkupKind::Inline(_))));
        let empty = json!({ "inline_keyboard": [] });
        assert_eq!(check_markup("m", Some(&empty), Some(1)).unwrap(), MarkupKind::None);
        let remove = json!({ "remove_keyboard": true });
        assert_eq!(check_markup("m", Some(&remove), Some(1)).unwrap(), MarkupKind::Other);
        let contact = json!({ "keyboard": [[{ "text": "phone", "request_contact": true }]] });
        assert_eq!(check_markup("m", Some(&contact), Some(1)).unwrap(), MarkupKind::Other);
        assert!(check_markup("m", Some(&contact), Some(-5)).is_err());
    }

    #[test]
    fn start_parameters() {
        assert!(valid_start_parameter("abc_DEF-123"));
        assert!(!valid_start_parameter(""));
        assert!(!valid_start_parameter("a b"));
        assert!(!valid_start_parameter(&"a".repeat(65)));
    }
}
