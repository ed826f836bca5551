//! The Bot API methods the fake carries out, each refusing what Telegram refuses (the rules
//! of `rules.rs`, numbered as the rows of `shared/telegram-bot-api/BEHAVIOUR.md`).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::rules::{self, MarkupKind, Refused};
use super::{BOT_ID, BOT_USERNAME, BotMessage, Inner, SentMessage};

/// How long after a press a callback query can still be answered. Telegram does not document
/// the window (core.telegram.org/bots/api#answercallbackquery only says the client shows a
/// progress bar until the answer); bots meet «query is too old» some seconds to a minute after
/// the press (nutgram #725, aiogram_dialog #145). 15 seconds is our deliberate choice: short
/// enough that a bot which answers late fails the tests.
pub const CALLBACK_WINDOW: Duration = Duration::from_secs(15);

/// A message can be deleted only if sent less than 48 hours ago (BEHAVIOUR.md row 14;
/// core.telegram.org/bots/api#deletemessage).
pub const DELETE_WINDOW: Duration = Duration::from_secs(48 * 3600);

/// The fields of a Message that are its content (what a forward or copy carries).
const CONTENT_KEYS: [&str; 14] = [
    "text",
    "entities",
    "caption",
    "caption_entities",
    "photo",
    "document",
    "voice",
    "audio",
    "video",
    "animation",
    "sticker",
    "video_note",
    "contact",
    "location",
];

pub(super) fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "پلکان", "username": BOT_USERNAME,
            "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false })
}

fn chat_json(chat: i64) -> Value {
    if chat < 0 {
        json!({ "id": chat, "type": "group", "title": "Group" })
    } else {
        json!({ "id": chat, "type": "private", "first_name": "User" })
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub(super) fn chat_id_of(params: &Map<String, Value>) -> Option<i64> {
    integer(params.get("chat_id")?)
}

fn message_id_of(params: &Map<String, Value>) -> Option<i32> {
    integer(params.get("message_id")?).and_then(|id| i32::try_from(id).ok())
}

fn flag(params: &Map<String, Value>, key: &str) -> bool {
    matches!(params.get(key), Some(Value::Bool(true))) || params.get(key).and_then(Value::as_str) == Some("true")
}

fn text_param<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    params.get(key).and_then(Value::as_str)
}

fn remove(raw: &mut Value, key: &str) {
    if let Some(obj) = raw.as_object_mut() {
        obj.remove(key);
    }
}

/// Carries out one method, or says why Telegram would refuse it.
pub(super) fn answer(
    inner: &mut Inner,
    method: &str,
    params: &Map<String, Value>,
    uploads: &HashMap<String, u64>,
) -> Result<Value, Refused> {
    match method {
        "getMe" => Ok(bot_user()),
        "getWebhookInfo" => {
            Ok(json!({ "url": inner.webhook.clone().unwrap_or_default(), "has_custom_certificate": false,
                                       "pending_update_count": inner.pending_updates.len() }))
        }
        // Rule 12: a webhook, once set, stops getUpdates until deleteWebhook.
        "setWebhook" => {
            let url = text_param(params, "url").unwrap_or("");
            inner.webhook = (!url.is_empty()).then(|| url.to_string());
            if flag(params, "drop_pending_updates") {
                inner.pending_updates.clear();
            }
            Ok(json!(true))
        }
        "deleteWebhook" => {
            inner.webhook = None;
            if flag(params, "drop_pending_updates") {
                inner.pending_updates.clear();
            }
            Ok(json!(true))
        }
        "setMyCommands" | "deleteMyCommands" => Ok(json!(true)),
        "getMyCommands" => Ok(json!([])),
        "answerCallbackQuery" => answer_callback_query(inner, params),
        "sendMessage" => send_message(inner, params),
        m if rules::kind_of_method(m).is_some() => send_file(inner, m, params, uploads),
        "forwardMessage" | "copyMessage" => forward_or_copy(inner, method, params),
        m if rules::EDITING_METHODS.contains(&m) => edit(inner, m, params, uploads),
        "deleteMessage" => delete_message(inner, params),
        "getFile" => get_file(inner, params),
        other => Err(Refused::violation(
            &format!("Bad Request: the fake server does not implement {other}"),
            format!("{other}: a method the fake server does not implement"),
        )),
    }
}

/// Rule 7 (BEHAVIOUR.md row 7; core.telegram.org/bots/faq): no writing to a person who blocked
/// the bot, nor first to one who never started it.
fn may_write(inner: &Inner, chat: i64, sending: bool) -> Result<(), Refused> {
    if inner.blocked.contains(&chat) {
        return Err(Refused::refusal(403, rules::BLOCKED));
    }
    if sending && chat > 0 && !inner.started.contains(&chat) {
        return Err(Refused::refusal(403, rules::CANT_INITIATE));
    }
    Ok(())
}

/// A new message from the bot in `chat`, without content yet.
fn new_message(inner: &mut Inner, chat: i64) -> Value {
    let message_id = inner.new_message_id(chat);
    let date = inner.date();
    json!({ "message_id": message_id, "date": date, "from": bot_user(), "chat": chat_json(chat) })
}

/// The text a test reads of a message: its text, or its caption.
fn visible_text(raw: &Value) -> String {
    raw.get("text").or_else(|| raw.get("caption")).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Keeps a message the bot sent, and returns it as the bot gets it.
fn keep_sent(inner: &mut Inner, chat: i64, mut raw: Value, markup: &MarkupKind) -> Value {
    // Telegram echoes only inline keyboards back in the Message.
    if let MarkupKind::Inline(m) = markup {
        raw["reply_markup"] = m.clone();
    }
    let message_id = raw["message_id"].as_i64().unwrap_or_default() as i32;
    inner.remember_files_of(&raw);
    let sent = SentMessage {
        chat_id: chat,
        message_id,
        text: visible_text(&raw),
        reply_markup: raw.get("reply_markup").cloned(),
        raw: raw.clone(),
        sent_at: std::time::Instant::now(),
    };
    let at = inner.now();
    // Rule 1 (core.telegram.org/bots/api#updating-messages): «it is currently only possible to
    // edit messages without reply_markup or with inline keyboards».
    let editable = *markup != MarkupKind::Other;
    inner.messages.insert((chat, message_id), BotMessage { sent, editable, at, gone: false });
    inner.sent_to.entry(chat).or_default().push(message_id);
    raw
}

fn send_message(inner: &mut Inner, params: &Map<String, Value>) -> Result<Value, Refused> {
    let method = "sendMessage";
    let chat = chat_id_of(params).ok_or_else(|| Refused::violation(rules::CHAT_NOT_FOUND, "sendMessage: no chat"))?;
    let text = text_param(params, "text");
    rules::check_text(method, text, false)?;
    let markup = rules::check_markup(method, rules::markup_of(params).as_ref(), Some(chat))?;
    may_write(inner, chat, true)?;
    let mut raw = new_message(inner, chat);
    raw["text"] = json!(text.unwrap_or(""));
    if let Some(entities) = params.get("entities") {
        raw["entities"] = entities.clone();
    }
    Ok(keep_sent(inner, chat, raw, &markup))
}

/// A new file the bot uploaded (or gave by URL): a new file id, remembered with its kind.
fn new_file(inner: &mut Inner, kind: &'static str, size: u64, file_name: Option<&str>) -> Value {
    inner.next_file += 1;
    let id = format!("{kind}-up-{}", inner.next_file);
    let unique = format!("u-{id}");
    let mut file = json!({ "file_id": id, "file_unique_id": unique, "file_size": size });
    match kind {
        "photo" => {
            let small = format!("{id}-s");
            let sizes = json!([
                { "file_id": small, "file_unique_id": format!("{unique}-s"), "width": 90, "height": 90, "file_size": size.min(1000) },
                { "file_id": id, "file_unique_id": unique, "width": 1280, "height": 960, "file_size": size }
            ]);
            inner.remember_file(&small, kind, size.min(1000), sizes.clone());
            inner.remember_file(&id, kind, size, sizes.clone());
            return sizes;
        }
        "voice" | "audio" => file["duration"] = json!(1),
        "video" | "animation" => {
            file["width"] = json!(640);
            file["height"] = json!(480);
            file["duration"] = json!(1);
        }
        "video_note" => {
            file["length"] = json!(240);
            file["duration"] = json!(1);
        }
        "sticker" => {
            file["type"] = json!("regular");
            file["width"] = json!(512);
            file["height"] = json!(512);
            file["is_animated"] = json!(false);
            file["is_video"] = json!(false);
        }
        _ => {
            if let Some(name) = file_name {
                file["file_name"] = json!(name);
            }
        }
    }
    inner.remember_file(&id, kind, size, file.clone());
    file
}

/// Rule 15: the file a send gives (an upload, a URL or a file id), as the message will carry it.
/// `field` names the part an upload travels in.
fn resolve_file(
    inner: &mut Inner,
    method: &str,
    kind: &'static str,
    value: &str,
    field: &str,
    uploads: &HashMap<String, u64>,
) -> Result<Value, Refused> {
    let upload = if let Some(name) = value.strip_prefix("attach://") {
        Some((uploads.get(name).copied().unwrap_or(0), None))
    } else {
        let name = value.strip_prefix("<uploaded file ");
        name.map(|name| (uploads.get(field).copied().unwrap_or(0), Some(name.trim_end_matches('>'))))
    };
    if let Some((size, name)) = upload {
        // core.telegram.org/bots/api#sendphoto: «The photo must be at most 10 MB in size».
        if kind == "photo" && size > rules::MAX_PHOTO_UPLOAD_BYTES {
            return Err(Refused::refusal(400, rules::FILE_TOO_BIG));
        }
        return Ok(new_file(inner, kind, size, name));
    }
    if value.starts_with("http://") || value.starts_with("https://") {
        return Ok(new_file(inner, kind, 0, None));
    }
    // Bot API «Sending files»: «It is not possible to change the file type when resending by
    // file_id» (Telegram.Bot #625, python-telegram-bot #2082, tdlib/telegram-bot-api #305).
    match inner.files.get(value) {
        None => Err(Refused::violation(
            rules::WRONG_FILE_ID,
            format!("{method}: the file id {value:?} is not one Telegram gave"),
        )),
        Some(file) if file.kind != kind => Err(Refused::violation(
            rules::FILE_TYPE_MISMATCH,
            format!("{method}: the file id {value:?} is a {}, not a {kind}", file.kind),
        )),
        Some(file) => Ok(file.json.clone()),
    }
}

fn send_file(
    inner: &mut Inner,
    method: &str,
    params: &Map<String, Value>,
    uploads: &HashMap<String, u64>,
) -> Result<Value, Refused> {
    let kind = rules::kind_of_method(method).unwrap_or("document");
    let chat =
        chat_id_of(params).ok_or_else(|| Refused::violation(rules::CHAT_NOT_FOUND, format!("{method}: no chat")))?;
    let caption = text_param(params, "caption");
    rules::check_caption(method, caption)?;
    let markup = rules::check_markup(method, rules::markup_of(params).as_ref(), Some(chat))?;
    let value = text_param(params, kind).unwrap_or("");
    let media = resolve_file(inner, method, kind, value, kind, uploads)?;
    may_write(inner, chat, true)?;
    let mut raw = new_message(inner, chat);
    raw[kind] = media;
    if let Some(caption) = caption.filter(|c| !c.is_empty()) {
        raw["caption"] = json!(caption);
    }
    Ok(keep_sent(inner, chat, raw, &markup))
}

/// A message in a chat, from the bot or a user: Ok(its Message), Err(true) when it was
/// deleted, Err(false) when it never existed.
fn message_in(inner: &Inner, chat: i64, message_id: i32) -> Result<Value, bool> {
    if let Some(m) = inner.messages.get(&(chat, message_id)) {
        return if m.gone { Err(true) } else { Ok(m.sent.raw.clone()) };
    }
    if let Some(m) = inner.user_messages.get(&(chat, message_id)) {
        return if m.gone { Err(true) } else { Ok(m.raw.clone()) };
    }
    Err(false)
}

/// Forwarding or copying (BEHAVIOUR.md, and the brief's rule 17): the source must exist in
/// `from_chat_id`; the new message carries its content (text, or the same media with its
/// caption), so that edits of it behave as Telegram's would.
fn forward_or_copy(inner: &mut Inner, method: &str, params: &Map<String, Value>) -> Result<Value, Refused> {
    let forward = method == "forwardMessage";
    let not_found = if forward { rules::FORWARD_NOT_FOUND } else { rules::COPY_NOT_FOUND };
    let chat =
        chat_id_of(params).ok_or_else(|| Refused::violation(rules::CHAT_NOT_FOUND, format!("{method}: no chat")))?;
    let from_chat = params.get("from_chat_id").and_then(integer);
    let source_id = message_id_of(params);
    let (Some(from_chat), Some(source_id)) = (from_chat, source_id) else {
        return Err(Refused::violation(not_found, format!("{method}: no from_chat_id or message_id")));
    };
    let caption = if forward { None } else { text_param(params, "caption") };
    rules::check_caption(method, caption)?;
    let markup = if forward {
        MarkupKind::None
    } else {
        rules::check_markup(method, rules::markup_of(params).as_ref(), Some(chat))?
    };
    let source = match message_in(inner, from_chat, source_id) {
        Ok(source) => source,
        Err(true) => return Err(Refused::refusal(400, not_found)),
        Err(false) => {
            return Err(Refused::violation(
                not_found,
                format!("{method}: there is no message {source_id} in chat {from_chat}"),
            ));
        }
    };
    may_write(inner, chat, true)?;
    let mut raw = new_message(inner, chat);
    for key in CONTENT_KEYS {
        if let Some(value) = source.get(key) {
            raw[key] = value.clone();
        }
    }
    if forward {
        let sender = source.get("from").cloned().unwrap_or_else(bot_user);
        raw["forward_origin"] = json!({ "type": "user", "date": source["date"], "sender_user": sender });
    } else if let Some(caption) = caption
        && raw.get("text").is_none()
    {
        remove(&mut raw, "caption_entities");
        if caption.is_empty() {
            remove(&mut raw, "caption");
        } else {
            raw["caption"] = json!(caption);
        }
    }
    let raw = keep_sent(inner, chat, raw, &markup);
    Ok(if forward { raw } else { json!({ "message_id": raw["message_id"] }) })
}

/// editMessageText, editMessageCaption, editMessageReplyMarkup, editMessageMedia.
fn edit(
    inner: &mut Inner,
    method: &str,
    params: &Map<String, Value>,
    uploads: &HashMap<String, u64>,
) -> Result<Value, Refused> {
    let chat = chat_id_of(params);
    let message_id = message_id_of(params);
    let (Some(chat), Some(message_id)) = (chat, message_id) else {
        return Err(Refused::violation(
            rules::NO_MESSAGE_ID,
            format!("{method}: no chat_id and message_id (inline messages are not modelled)"),
        ));
    };
    // The request itself first: its text, caption and markup.
    let new_text = match method {
        "editMessageText" => {
            // `text` is optional in this schema (a `rich_message` may replace it); one of
            // them is required.
            if let Some(rich) = params.get("rich_message").filter(|_| !params.contains_key("text")) {
                Some(rich.to_string())
            } else {
                let text = text_param(params, "text");
                rules::check_text(method, text, true)?;
                text.map(str::to_string)
            }
        }
        "editMessageCaption" => {
            let caption = text_param(params, "caption");
            rules::check_caption(method, caption)?;
            Some(caption.unwrap_or("").to_string())
        }
        _ => None,
    };
    let new_markup = match rules::check_markup(method, rules::markup_of(params).as_ref(), Some(chat))? {
        MarkupKind::Inline(m) => Some(m),
        MarkupKind::None => None,
        MarkupKind::Other => {
            return Err(Refused::violation(
                "Bad Request: REPLY_MARKUP_INVALID",
                format!("{method}: an edit's reply_markup must be an inline keyboard"),
            ));
        }
    };
    let new_media = if method == "editMessageMedia" {
        let media = match params.get("media") {
            Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
            Some(v) => v.clone(),
            None => Value::Null,
        };
        let kind =
            rules::FILE_KINDS.into_iter().find(|k| media.get("type").and_then(Value::as_str) == Some(*k)).ok_or_else(
                || Refused::violation("Bad Request: can't parse InputMedia", format!("{method}: no media type")),
            )?;
        let caption = media.get("caption").and_then(Value::as_str).map(str::to_string);
        rules::check_caption(method, caption.as_deref())?;
        let value = media.get("media").and_then(Value::as_str).unwrap_or("").to_string();
        let file = resolve_file(inner, method, kind, &value, "media", uploads)?;
        Some((kind, file, caption))
    } else {
        None
    };
    may_write(inner, chat, false)?;
    let date = inner.date();
    let is_users = inner.user_messages.contains_key(&(chat, message_id));
    let Some(message) = inner.messages.get_mut(&(chat, message_id)) else {
        // Rule 5: a message the bot never sent to that chat is a bug; one of the person's own
        // is not the bot's to edit.
        return Err(if is_users {
            Refused::violation(
                rules::CANT_BE_EDITED,
                format!("{method}: message {message_id} in chat {chat} is the user's"),
            )
        } else {
            Refused::violation(
                rules::EDIT_NOT_FOUND,
                format!("{method}: the bot never sent message {message_id} to chat {chat}"),
            )
        });
    };
    // Rule 5: deleted since (by the person or the bot): a refusal a correct bot may meet.
    if message.gone {
        return Err(Refused::refusal(400, rules::EDIT_NOT_FOUND));
    }
    // Rule 1 (core.telegram.org/bots/api#updating-messages; node-telegram-bot-api #755,
    // pyTelegramBotAPI #1104, aiogram #921, Telegram.Bot #176, tdlib #3196).
    if !message.editable {
        return Err(Refused::violation(
            rules::CANT_BE_EDITED,
            format!(
                "{method}: message {message_id} in chat {chat} was sent with a reply keyboard, remove_keyboard or force_reply"
            ),
        ));
    }
    let raw = &mut message.sent.raw;
    let has_text = raw.get("text").is_some();
    let has_media = rules::FILE_KINDS.iter().any(|k| raw.get(*k).is_some());
    // Rule 4 (observed answers): a media message has a caption, a text message a text.
    match method {
        "editMessageText" if !has_text => {
            return Err(Refused::violation(
                rules::NO_TEXT_TO_EDIT,
                format!("{method}: message {message_id} in chat {chat} is a media message (edit its caption)"),
            ));
        }
        "editMessageCaption" if !has_media => {
            return Err(Refused::violation(
                rules::NO_CAPTION_TO_EDIT,
                format!("{method}: message {message_id} in chat {chat} is a text message (edit its text)"),
            ));
        }
        "editMessageMedia" if !has_media => {
            return Err(Refused::violation(
                "Bad Request: there is no media in the message to edit",
                format!("{method}: message {message_id} in chat {chat} has no media"),
            ));
        }
        _ => {}
    }
    // Rule 3 (teloxide_tests PR #31): an edit without reply_markup removes the inline keyboard.
    let old_markup = raw.get("reply_markup").cloned();
    let mut edited = raw.clone();
    match method {
        "editMessageText" => edited["text"] = json!(new_text.clone().unwrap_or_default()),
        "editMessageCaption" => match new_text.as_deref() {
            Some("") | None => remove(&mut edited, "caption"),
            Some(caption) => edited["caption"] = json!(caption),
        },
        "editMessageMedia" => {
            if let Some((kind, file, caption)) = new_media {
                for k in rules::FILE_KINDS {
                    remove(&mut edited, k);
                }
                remove(&mut edited, "caption");
                edited[kind] = file;
                if let Some(caption) = caption.filter(|c| !c.is_empty()) {
                    edited["caption"] = json!(caption);
                }
            }
        }
        _ => {}
    }
    if method == "editMessageText" && edited.get("text") != raw.get("text") {
        remove(&mut edited, "entities");
    }
    if let Some(entities) = params.get("entities").filter(|_| method == "editMessageText") {
        edited["entities"] = entities.clone();
    }
    match &new_markup {
        Some(m) => edited["reply_markup"] = m.clone(),
        None => remove(&mut edited, "reply_markup"),
    }
    // Rule 2 (Telegram.Bot #299): nothing changed.
    let same_content = CONTENT_KEYS.iter().all(|k| edited.get(*k) == raw.get(*k));
    if same_content && new_markup == old_markup {
        return Err(Refused::refusal(400, rules::NOT_MODIFIED));
    }
    edited["edit_date"] = json!(date);
    *raw = edited.clone();
    message.sent.text = visible_text(&edited);
    message.sent.reply_markup = new_markup;
    inner.remember_files_of(&edited);
    Ok(edited)
}

/// Rule 14 (core.telegram.org/bots/api#deletemessage).
fn delete_message(inner: &mut Inner, params: &Map<String, Value>) -> Result<Value, Refused> {
    let (Some(chat), Some(message_id)) = (chat_id_of(params), message_id_of(params)) else {
        return Err(Refused::violation(rules::DELETE_NOT_FOUND, "deleteMessage: no chat_id or message_id"));
    };
    let now = inner.now();
    // Bots can delete their own messages, and incoming ones in private chats.
    let found = match inner.messages.get_mut(&(chat, message_id)) {
        Some(m) => Some((&mut m.gone, m.at)),
        None => inner.user_messages.get_mut(&(chat, message_id)).map(|m| (&mut m.gone, m.at)),
    };
    match found {
        None => Err(Refused::violation(
            rules::DELETE_NOT_FOUND,
            format!("deleteMessage: there never was a message {message_id} in chat {chat}"),
        )),
        Some((gone, _)) if *gone => Err(Refused::refusal(400, rules::DELETE_NOT_FOUND)),
        Some((_, at)) if now.saturating_sub(at) > DELETE_WINDOW => Err(Refused::refusal(400, rules::CANT_BE_DELETED)),
        Some((gone, _)) => {
            *gone = true;
            Ok(json!(true))
        }
    }
}

/// Rule 6 (core.telegram.org/bots/api#answercallbackquery).
fn answer_callback_query(inner: &mut Inner, params: &Map<String, Value>) -> Result<Value, Refused> {
    let method = "answerCallbackQuery";
    let id = text_param(params, "callback_query_id").unwrap_or("");
    let text = text_param(params, "text");
    let n = text.map_or(0, rules::utf16_len);
    if n > rules::MAX_CALLBACK_ANSWER_CHARS {
        return Err(Refused::violation(
            "Bad Request: MESSAGE_TOO_LONG",
            format!("{method}: text of {n} UTF-16 code units (allowed 0–{})", rules::MAX_CALLBACK_ANSWER_CHARS),
        ));
    }
    let Some(pressed) = inner.presses.get(id).copied() else {
        return Err(Refused::violation(rules::QUERY_TOO_OLD, format!("{method}: no query {id:?} was ever made")));
    };
    if inner.callback_answers.contains_key(id) {
        return Err(Refused::violation(rules::QUERY_TOO_OLD, format!("{method}: query {id:?} answered twice")));
    }
    if inner.now().saturating_sub(pressed) > CALLBACK_WINDOW {
        return Err(Refused::refusal(400, rules::QUERY_TOO_OLD));
    }
    inner.callback_answers.insert(id.to_string(), text.map(str::to_string));
    Ok(json!(true))
}

/// Rule 15 (core.telegram.org/bots/api#getfile): files up to 20 MB.
fn get_file(inner: &mut Inner, params: &Map<String, Value>) -> Result<Value, Refused> {
    let id = text_param(params, "file_id").unwrap_or("");
    let Some(file) = inner.files.get(id) else {
        return Err(Refused::violation(
            rules::INVALID_FILE_ID,
            format!("getFile: the file id {id:?} is not one Telegram gave"),
        ));
    };
    if file.size > rules::MAX_DOWNLOAD_BYTES {
        return Err(Refused::refusal(400, rules::FILE_TOO_BIG));
    }
    Ok(json!({ "file_id": id, "file_unique_id": format!("u-{id}"), "file_size": file.size,
               "file_path": format!("{}s/{id}", file.kind) }))
}
