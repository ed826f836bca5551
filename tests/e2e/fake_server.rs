//! The fake Telegram server refuses what real Telegram would refuse, so that the other
//! tests can trust a passing run. One test per rule of `shared/telegram-bot-api/BEHAVIOUR.md`
//! (and of the fake's brief): each shows the refusal and the neighbouring request Telegram
//! accepts.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use pelekan::fake_telegram::rules;
use pelekan::fake_telegram::{ApiSpec, FakeTelegram, FakeUser, Fault, UserAction};
use serde_json::Value;
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton, MessageId,
    ReplyMarkup, UpdateKind,
};
use teloxide::{ApiError, RequestError};

/// A private chat whose person has started the bot.
const CHAT: ChatId = ChatId(5);

async fn server() -> (FakeTelegram, Bot) {
    let telegram = FakeTelegram::start(Some(ApiSpec::beside_project().unwrap())).await.unwrap();
    telegram.user_started(CHAT.0);
    let bot = Bot::new("1:T").set_api_url(telegram.url());
    (telegram, bot)
}

fn person(id: i64) -> FakeUser {
    FakeUser::new(id, "آزمون", None)
}

fn api_error<T: std::fmt::Debug>(result: Result<T, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(e)) => e,
        other => panic!("expected a Telegram error, got {other:?}"),
    }
}

/// The description of a refusal teloxide does not map to a variant of its own.
fn unknown<T: std::fmt::Debug>(result: Result<T, RequestError>) -> String {
    match api_error(result) {
        ApiError::Unknown(text) => text,
        other => panic!("expected an unmapped Telegram error, got {other:?}"),
    }
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("دکمه", data)]])
}

/// The updates waiting, fetched (and acknowledged) with a raw getUpdates.
async fn take_updates(bot: &Bot, offset: &mut i32) -> Vec<teloxide::types::Update> {
    let updates = bot.get_updates().offset(*offset).timeout(0).await.unwrap();
    if let Some(last) = updates.last() {
        *offset = last.id.0 as i32 + 1;
    }
    bot.get_updates().offset(*offset).timeout(0).await.unwrap();
    updates
}

#[tokio::test]
async fn requests_real_telegram_would_refuse_are_refused_and_recorded() {
    let (telegram, bot) = server().await;
    assert!(bot.send_message(CHAT, "سلام").await.is_ok());
    assert!(telegram.violations().is_empty());

    assert!(bot.send_message(CHAT, "ا".repeat(4097)).await.is_err());
    assert!(telegram.violations().last().unwrap().contains("4097 UTF-16 code units"));
    assert!(bot.send_message(CHAT, "ا".repeat(4096)).await.is_ok());
    assert!(bot.send_message(CHAT, "").await.is_err());

    let long_data = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "d".repeat(65))]]);
    assert!(bot.send_message(CHAT, "x").reply_markup(long_data).await.is_err());
    assert!(telegram.violations().last().unwrap().contains("callback_data of 65 bytes"));

    // Photos and documents travel as multipart forms; they are parsed and checked too.
    telegram.send_photo(&person(CHAT.0), "AgACAgQ");
    let photo = bot.send_photo(CHAT, InputFile::file_id("AgACAgQ".into())).caption("فاکتور").await.unwrap();
    assert_eq!(photo.caption(), Some("فاکتور"));
    let document = bot.send_document(CHAT, InputFile::memory("a,b\r\n".as_bytes()).file_name("x.csv")).await;
    assert!(document.is_ok(), "{document:?}");

    let before = telegram.violations().len();
    let raw = reqwest_like_post(&telegram, "sendMessage", r#"{"chat_id":5,"text":"x","colour":"red"}"#).await;
    assert!(raw.contains("unknown parameter colour"), "{raw}");
    let raw = reqwest_like_post(&telegram, "sendMessage", r#"{"text":"x"}"#).await;
    assert!(raw.contains("missing required parameter chat_id"), "{raw}");
    let raw = reqwest_like_post(&telegram, "sendTelepathy", r#"{}"#).await;
    assert!(raw.contains("unknown method"), "{raw}");
    assert_eq!(telegram.violations().len(), before + 3);
    // Every refusal is listed, violations included, with Telegram's error shape.
    assert!(telegram.refusals().len() >= telegram.violations().len());
    let answer = json_of(&reqwest_like_post(&telegram, "sendMessage", r#"{"chat_id":5,"text":""}"#).await);
    assert_eq!(answer, serde_json::json!({ "ok": false, "error_code": 400, "description": rules::TEXT_EMPTY }));
}

#[tokio::test]
async fn injected_faults_are_answered_once() {
    let (telegram, bot) = server().await;
    telegram.inject_fault("sendMessage", Fault::Blocked);
    let blocked = bot.send_message(CHAT, "x").await.unwrap_err();
    assert!(blocked.to_string().contains("blocked"), "{blocked}");
    telegram.inject_fault("sendMessage", Fault::TooManyRequests { retry_after: 3 });
    let limited = bot.send_message(CHAT, "x").await.unwrap_err();
    assert!(matches!(limited, teloxide::RequestError::RetryAfter(_)), "{limited:?}");
    assert!(bot.send_message(CHAT, "x").await.is_ok());
    // Injected faults are not Telegram's rules: neither violations nor refusals.
    assert!(telegram.refusals().is_empty(), "{:?}", telegram.refusals());
}

/// A hang is either of two things: Telegram never carried the request out (`Fault::Hang`), or
/// it did and its answer never came (`Fault::AcceptedThenHang`: the message is in the chat,
/// the client times out). A bot cannot tell them apart; the fake records the second kind.
#[tokio::test]
async fn a_request_carried_out_then_left_unanswered_delivers_and_the_client_times_out() {
    let telegram = FakeTelegram::start(Some(ApiSpec::beside_project().unwrap())).await.unwrap();
    telegram.user_started(CHAT.0);
    let client = teloxide::net::default_reqwest_settings().timeout(Duration::from_secs(1)).build().unwrap();
    let bot = Bot::with_client("1:T", client).set_api_url(telegram.url());
    telegram.inject_fault("sendMessage", Fault::Hang { seconds: 3 });
    telegram.inject_fault("sendMessage", Fault::AcceptedThenHang { seconds: 3 });
    let not_taken = bot.send_message(CHAT, "نرسید").await.unwrap_err();
    let taken = bot.send_message(CHAT, "رسید").await.unwrap_err();
    for error in [&not_taken, &taken] {
        assert!(matches!(error, RequestError::Network(e) if e.is_timeout()), "{error:?}");
    }
    let texts: Vec<String> = telegram.messages_to(CHAT.0).into_iter().map(|m| m.text).collect();
    assert_eq!(texts, ["رسید"]);
    assert_eq!(telegram.unanswered(), [(CHAT.0, 1)]);
    // The next request is answered as usual.
    assert!(bot.send_message(CHAT, "بعدی").await.is_ok());
    assert!(telegram.refusals().is_empty(), "{:?}", telegram.refusals());
}

/// Every send to a chat can be made to fail, as long as a test needs (other chats as usual).
#[tokio::test]
async fn a_chat_made_to_fail_fails_every_send_until_cleared() {
    let (telegram, bot) = server().await;
    telegram.user_started(6);
    telegram.fault_chat(CHAT.0, Some(Fault::ServerError));
    for _ in 0..3 {
        assert!(bot.send_message(CHAT, "x").await.is_err());
    }
    assert!(bot.send_message(ChatId(6), "y").await.is_ok());
    telegram.fault_chat(CHAT.0, None);
    assert!(bot.send_message(CHAT, "x").await.is_ok());
    assert_eq!(telegram.messages_to(CHAT.0).len(), 1);
}

/// Rule 1: only messages sent without markup or with an inline keyboard can be edited.
#[tokio::test]
async fn rule_1_messages_sent_with_a_reply_keyboard_can_never_be_edited() {
    let (telegram, bot) = server().await;
    let plain = bot.send_message(CHAT, "بدون دکمه").await.unwrap();
    assert!(bot.edit_message_text(CHAT, plain.id, "ویرایش شد").await.is_ok());
    let inline = bot.send_message(CHAT, "با دکمه").reply_markup(keyboard("a")).await.unwrap();
    assert!(bot.edit_message_reply_markup(CHAT, inline.id).reply_markup(keyboard("b")).await.is_ok());
    assert!(bot.edit_message_text(CHAT, inline.id, "متن تازه").await.is_ok());
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());

    let reply_keyboard = ReplyMarkup::keyboard([[KeyboardButton::new("بله")]]);
    for markup in [reply_keyboard, ReplyMarkup::kb_remove(), ReplyMarkup::force_reply()] {
        let sent = bot.send_message(CHAT, "پیام").reply_markup(markup).await.unwrap();
        let text = bot.edit_message_text(CHAT, sent.id, "دیگر").await;
        assert!(matches!(api_error(text), ApiError::MessageCantBeEdited));
        let markup = bot.edit_message_reply_markup(CHAT, sent.id).reply_markup(keyboard("c")).await;
        assert!(matches!(api_error(markup), ApiError::MessageCantBeEdited));
    }
    assert_eq!(telegram.violations().len(), 6, "{:?}", telegram.violations());
    assert!(telegram.violations()[0].contains(rules::CANT_BE_EDITED));
}

/// Rule 2: an edit that changes nothing is refused (a refusal, not a violation).
#[tokio::test]
async fn rule_2_an_edit_that_changes_nothing_is_not_modified() {
    let (telegram, bot) = server().await;
    let sent = bot.send_message(CHAT, "الف").reply_markup(keyboard("a")).await.unwrap();
    let same = bot.edit_message_text(CHAT, sent.id, "الف").reply_markup(keyboard("a")).await;
    assert!(matches!(api_error(same), ApiError::MessageNotModified));
    // The same text with other buttons, or other text with the same buttons, is a change.
    assert!(bot.edit_message_text(CHAT, sent.id, "الف").reply_markup(keyboard("b")).await.is_ok());
    assert!(bot.edit_message_text(CHAT, sent.id, "ب").reply_markup(keyboard("b")).await.is_ok());
    let twice = bot.edit_message_reply_markup(CHAT, sent.id).reply_markup(keyboard("b")).await;
    assert!(matches!(api_error(twice), ApiError::MessageNotModified));
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());
    let refusals = telegram.refusals();
    assert_eq!(refusals.len(), 2);
    assert_eq!(refusals[0].description, rules::NOT_MODIFIED);
    assert_eq!((refusals[1].method.as_str(), refusals[1].error_code), ("editMessageReplyMarkup", 400));
}

/// Rule 3: editing text or caption without reply_markup removes the inline keyboard.
#[tokio::test]
async fn rule_3_an_edit_without_markup_removes_the_buttons() {
    let (telegram, bot) = server().await;
    let sent = bot.send_message(CHAT, "با دکمه").reply_markup(keyboard("a")).await.unwrap();
    let edited = bot.edit_message_text(CHAT, sent.id, "بی دکمه").await.unwrap();
    assert!(edited.reply_markup().is_none());
    assert!(telegram.messages_to(CHAT.0)[0].inline_buttons().is_empty());

    let sent = bot.send_message(CHAT, "دکمه‌ها").reply_markup(keyboard("a")).await.unwrap();
    let cleared = bot.edit_message_reply_markup(CHAT, sent.id).await.unwrap();
    assert!(cleared.reply_markup().is_none());
    // An empty inline keyboard is no keyboard: clearing it again changes nothing.
    let empty = InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new());
    let again = bot.edit_message_reply_markup(CHAT, sent.id).reply_markup(empty).await;
    assert!(matches!(api_error(again), ApiError::MessageNotModified));

    // editMessageText needs a text (unless it has a rich_message).
    let id = sent.id.0;
    let raw = reqwest_like_post(&telegram, "editMessageText", &format!(r#"{{"chat_id":5,"message_id":{id}}}"#)).await;
    assert_eq!(json_of(&raw)["description"], rules::TEXT_EMPTY, "{raw}");
    assert_eq!(telegram.violations().len(), 1, "{:?}", telegram.violations());
}

/// Rule 4: a media message has a caption, not a text; a text message has no caption.
#[tokio::test]
async fn rule_4_media_messages_have_captions_and_text_messages_texts() {
    let (telegram, bot) = server().await;
    telegram.send_photo(&person(CHAT.0), "receipt");
    let photo = bot.send_photo(CHAT, InputFile::file_id("receipt".into())).caption("رسید").await.unwrap();
    let text = bot.edit_message_text(CHAT, photo.id, "متن").await;
    assert_eq!(unknown(text), rules::NO_TEXT_TO_EDIT);
    let edited = bot.edit_message_caption(CHAT, photo.id).caption("رسید تأییدشده").await.unwrap();
    assert_eq!(edited.caption(), Some("رسید تأییدشده"));
    assert_eq!(telegram.messages_to(CHAT.0)[0].text, "رسید تأییدشده");

    let message = bot.send_message(CHAT, "متن").await.unwrap();
    let caption = bot.edit_message_caption(CHAT, message.id).caption("زیرنویس").await;
    assert_eq!(unknown(caption), rules::NO_CAPTION_TO_EDIT);
    assert!(bot.edit_message_text(CHAT, message.id, "متن دیگر").await.is_ok());
    assert_eq!(telegram.violations().len(), 2, "{:?}", telegram.violations());
}

/// Rule 5: a message that is not there cannot be edited.
#[tokio::test]
async fn rule_5_editing_a_missing_message_is_refused() {
    let (telegram, bot) = server().await;
    let never = bot.edit_message_text(CHAT, MessageId(999), "کجا؟").await;
    assert!(matches!(api_error(never), ApiError::MessageToEditNotFound));
    assert_eq!(telegram.violations().len(), 1, "a message the bot never sent is a bug");

    let sent = bot.send_message(CHAT, "پیام").await.unwrap();
    // Not in another chat either.
    telegram.user_started(6);
    let elsewhere = bot.edit_message_text(ChatId(6), sent.id, "دیگر").await;
    assert!(matches!(api_error(elsewhere), ApiError::MessageToEditNotFound));
    assert_eq!(telegram.violations().len(), 2);

    assert!(bot.edit_message_text(CHAT, sent.id, "هنوز هست").await.is_ok());
    telegram.user_deletes(CHAT.0, sent.id.0);
    let deleted = bot.edit_message_text(CHAT, sent.id, "پاک شده").await;
    assert!(matches!(api_error(deleted), ApiError::MessageToEditNotFound));
    assert_eq!(telegram.violations().len(), 2, "a message the person deleted is no bug of the bot's");
    assert_eq!(telegram.refusals().last().unwrap().description, rules::EDIT_NOT_FOUND);
}

/// Rule 6: a callback query is answered once, and only within 15 seconds of the press.
#[tokio::test]
async fn rule_6_a_press_is_answered_once_and_soon() {
    let (telegram, bot) = server().await;
    bot.send_message(CHAT, "بزنید").reply_markup(keyboard("ok")).await.unwrap();
    let message = telegram.messages_to(CHAT.0).pop().unwrap();
    let user = person(CHAT.0);

    let id = telegram.press(&user, &message, "ok");
    assert!(bot.answer_callback_query(id.clone().into()).text("ثبت شد").await.is_ok());
    assert_eq!(telegram.callback_answer(&id), Some(Some("ثبت شد".to_string())));
    let twice = bot.answer_callback_query(id.clone().into()).await;
    assert_eq!(unknown(twice), rules::QUERY_TOO_OLD);
    assert_eq!(telegram.violations().len(), 1, "answering twice is a bug");

    let late = telegram.press(&user, &message, "ok");
    telegram.pass_time(Duration::from_secs(14));
    let soon = telegram.press(&user, &message, "ok");
    telegram.pass_time(Duration::from_secs(2));
    assert_eq!(unknown(bot.answer_callback_query(late.clone().into()).await), rules::QUERY_TOO_OLD);
    assert_eq!(telegram.callback_answer(&late), None);
    assert!(bot.answer_callback_query(soon.into()).await.is_ok());
    assert_eq!(telegram.violations().len(), 1, "a slow answer is a refusal, not a violation");

    let forged = bot.answer_callback_query("cb-nobody-made".to_string().into()).await;
    assert_eq!(unknown(forged), rules::QUERY_TOO_OLD);
    let wordy = telegram.press(&user, &message, "ok");
    assert!(bot.answer_callback_query(wordy.clone().into()).text("ا".repeat(201)).await.is_err());
    assert!(bot.answer_callback_query(wordy.into()).text("ا".repeat(200)).await.is_ok());
    assert_eq!(telegram.violations().len(), 3, "{:?}", telegram.violations());
}

/// Rule 7: a bot cannot write first, nor to a person who blocked it.
#[tokio::test]
async fn rule_7_a_bot_writes_only_to_people_who_started_it_and_did_not_block_it() {
    let (telegram, bot) = server().await;
    let stranger = person(77);
    let first = bot.send_message(ChatId(77), "سلام").await;
    assert_eq!(unknown(first), rules::CANT_INITIATE);
    let said = telegram.send_text(&person(CHAT.0), "برای بازارسال");
    let forward = bot.forward_message(ChatId(77), CHAT, MessageId(said)).await;
    assert_eq!(unknown(forward), rules::CANT_INITIATE);
    telegram.send_text(&stranger, "/start");
    assert!(bot.send_message(ChatId(77), "سلام").await.is_ok());
    // People the tests put in the database directly.
    telegram.user_started(78);
    assert!(bot.send_message(ChatId(78), "سلام").await.is_ok());
    // Group chats have no such rule.
    assert!(bot.send_message(ChatId(-100), "سلام").await.is_ok());

    let sent = bot.send_message(ChatId(77), "پیش از مسدود شدن").await.unwrap();
    telegram.block(77);
    assert!(matches!(api_error(bot.send_message(ChatId(77), "هستید؟").await), ApiError::BotBlocked));
    assert!(matches!(api_error(bot.edit_message_text(ChatId(77), sent.id, "ویرایش").await), ApiError::BotBlocked));
    telegram.unblock(77);
    assert!(bot.send_message(ChatId(77), "دوباره").await.is_ok());

    telegram.inject_fault("sendMessage", Fault::Blocked);
    assert!(matches!(api_error(bot.send_message(ChatId(77), "x").await), ApiError::BotBlocked));
    let refusals: Vec<(u16, String)> = telegram.refusals().into_iter().map(|r| (r.error_code, r.description)).collect();
    assert_eq!(
        refusals,
        [
            (403, rules::CANT_INITIATE.to_string()),
            (403, rules::CANT_INITIATE.to_string()),
            (403, rules::BLOCKED.to_string()),
            (403, rules::BLOCKED.to_string())
        ]
    );
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());
}

/// Rule 8: text is 1–4096 characters, a caption 0–1024, counted in UTF-16 code units.
#[tokio::test]
async fn rule_8_texts_and_captions_have_lengths() {
    let (telegram, bot) = server().await;
    assert!(bot.send_message(CHAT, "ا".repeat(4096)).await.is_ok());
    assert!(matches!(api_error(bot.send_message(CHAT, "ا".repeat(4097)).await), ApiError::MessageIsTooLong));
    // An emoji is two UTF-16 code units.
    assert!(bot.send_message(CHAT, "😀".repeat(2048)).await.is_ok());
    assert!(matches!(api_error(bot.send_message(CHAT, "😀".repeat(2049)).await), ApiError::MessageIsTooLong));
    assert!(matches!(api_error(bot.send_message(CHAT, "").await), ApiError::MessageTextIsEmpty));
    assert!(matches!(api_error(bot.send_message(CHAT, " \n ").await), ApiError::MessageTextIsEmpty));

    telegram.send_photo(&person(CHAT.0), "p");
    let photo = || bot.send_photo(CHAT, InputFile::file_id("p".into()));
    assert!(photo().await.is_ok(), "a caption may be empty");
    assert!(photo().caption("ا".repeat(1024)).await.is_ok());
    assert_eq!(unknown(photo().caption("ا".repeat(1025)).await), rules::CAPTION_TOO_LONG);

    let sent = bot.send_message(CHAT, "کوتاه").await.unwrap();
    let long = bot.edit_message_text(CHAT, sent.id, "ا".repeat(4097)).await;
    assert!(matches!(api_error(long), ApiError::EditedMessageIsTooLong));
    assert!(bot.edit_message_text(CHAT, sent.id, "ا".repeat(4096)).await.is_ok());
    assert_eq!(telegram.violations().len(), 6, "{:?}", telegram.violations());
}

/// Rule 9: callback_data is 1–64 bytes; buttons have labels; keyboards have sizes.
#[tokio::test]
async fn rule_9_buttons_and_keyboards_have_limits() {
    let (telegram, bot) = server().await;
    let send = |markup: ReplyMarkup| bot.send_message(CHAT, "دکمه‌ها").reply_markup(markup);
    let inline = |rows: Vec<Vec<InlineKeyboardButton>>| ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(rows));
    let button = |data: &str| InlineKeyboardButton::callback("x", data);

    assert!(send(inline(vec![vec![button(&"d".repeat(64))]])).await.is_ok());
    assert!(matches!(api_error(send(inline(vec![vec![button(&"d".repeat(65))]])).await), ApiError::ButtonDataInvalid));
    assert!(matches!(api_error(send(inline(vec![vec![button("")]])).await), ApiError::ButtonDataInvalid));
    // A multi-byte character counts its bytes: 33 × 2 bytes is 66.
    assert!(matches!(api_error(send(inline(vec![vec![button(&"ب".repeat(33))]])).await), ApiError::ButtonDataInvalid));
    let unlabelled = send(inline(vec![vec![InlineKeyboardButton::callback("", "a")]])).await;
    assert_eq!(unknown(unlabelled), rules::BUTTON_TEXT_INVALID);

    let row = |n: usize| (0..n).map(|i| button(&i.to_string())).collect::<Vec<_>>();
    assert!(send(inline(vec![row(8)])).await.is_ok());
    assert_eq!(unknown(send(inline(vec![row(9)])).await), rules::MARKUP_TOO_LONG);
    assert!(send(inline((0..12).map(|_| row(8)).chain([row(4)]).collect())).await.is_ok(), "100 buttons");
    assert_eq!(unknown(send(inline((0..12).map(|_| row(8)).chain([row(5)]).collect())).await), rules::MARKUP_TOO_LONG);

    let keys = |n: usize| (0..n).map(|i| KeyboardButton::new(i.to_string())).collect::<Vec<_>>();
    assert!(send(ReplyMarkup::keyboard(vec![keys(12)])).await.is_ok());
    assert_eq!(unknown(send(ReplyMarkup::keyboard(vec![keys(13)])).await), rules::MARKUP_TOO_LONG);
    assert!(send(ReplyMarkup::keyboard((0..25).map(|_| keys(12)).collect::<Vec<_>>())).await.is_ok(), "300 keys");
    let too_many = (0..25).map(|_| keys(12)).chain([keys(1)]).collect::<Vec<_>>();
    assert_eq!(unknown(send(ReplyMarkup::keyboard(too_many)).await), rules::MARKUP_TOO_LONG);

    // Over 10 kB of markup, whatever the count.
    let wide = |label: usize| {
        inline((0..10).map(|r| vec![InlineKeyboardButton::callback("ا".repeat(label), r.to_string())]).collect())
    };
    assert!(send(wide(400)).await.is_ok());
    assert_eq!(unknown(send(wide(600)).await), rules::MARKUP_TOO_LONG);
    assert_eq!(telegram.violations().len(), 9, "{:?}", telegram.violations());
}

/// Rule 10: a deep link passes its start parameter only when it is 1–64 of `A–Z a–z 0–9 _ -`.
#[tokio::test]
async fn rule_10_deep_links_open_with_or_without_their_parameter() {
    let (telegram, bot) = server().await;
    let user = person(40);
    let base = format!("https://t.me/{}?start=", pelekan::fake_telegram::BOT_USERNAME);
    telegram.open_link(&user, &format!("{base}abc_DEF-123"));
    telegram.open_link(&user, &format!("{base}{}", "a".repeat(64)));
    telegram.open_link(&user, &format!("{base}{}", "a".repeat(65)));
    telegram.open_link(&user, &format!("{base}not+allowed"));
    telegram.open_link(&user, &format!("https://t.me/{}", pelekan::fake_telegram::BOT_USERNAME));
    let mut offset = 0;
    let texts: Vec<String> = take_updates(&bot, &mut offset)
        .await
        .into_iter()
        .filter_map(|u| match u.kind {
            UpdateKind::Message(m) => m.text().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(
        texts,
        [
            "/start abc_DEF-123".to_string(),
            format!("/start {}", "a".repeat(64)),
            "/start".into(),
            "/start".into(),
            "/start".into()
        ]
    );
    let other =
        std::panic::catch_unwind(AssertUnwindSafe(|| telegram.open_link(&user, "https://t.me/other_bot?start=x")));
    assert!(other.is_err(), "a link to another bot is a mistake in the test");
}

/// Rule 11: with limits enforced, no more than 20 messages a minute to one group.
#[tokio::test]
async fn rule_11_a_group_gets_twenty_messages_a_minute() {
    let (telegram, bot) = server().await;
    telegram.enforce_limits(1000, Duration::ZERO);
    for i in 0..20 {
        assert!(bot.send_message(ChatId(-100), format!("پیام {i}")).await.is_ok(), "message {i}");
    }
    let over = bot.send_message(ChatId(-100), "یکی بیشتر").await.unwrap_err();
    assert!(matches!(over, RequestError::RetryAfter(_)), "{over:?}");
    // Another group, and private chats, have their own limits.
    assert!(bot.send_message(ChatId(-200), "گروه دیگر").await.is_ok());
    for i in 0..25 {
        assert!(bot.send_message(CHAT, format!("خصوصی {i}")).await.is_ok());
    }
    assert_eq!(telegram.refused_by_limits(), 1);
}

/// Rule 11: one message a second to one chat, and 30 a second in all; beyond, 429 with
/// `retry_after`.
#[tokio::test]
async fn rule_11_one_a_second_to_a_chat_and_thirty_a_second_in_all() {
    let (telegram, bot) = server().await;
    telegram.enforce_limits(30, Duration::from_secs(1));
    for n in 0..3 {
        telegram.user_started(CHAT.0 + 1 + n);
    }
    assert!(bot.send_message(CHAT, "یک").await.is_ok());
    let too_soon = bot.send_message(CHAT, "دو").await.unwrap_err();
    assert!(matches!(too_soon, RequestError::RetryAfter(_)), "{too_soon:?}");
    // Other chats are not held up by this one.
    for n in 0..3 {
        assert!(bot.send_message(ChatId(CHAT.0 + 1 + n), "سلام").await.is_ok());
    }
    assert_eq!(telegram.refused_by_limits(), 1);

    // Thirty a second in all, across distinct chats.
    let (telegram, bot) = server().await;
    telegram.enforce_limits(30, Duration::from_secs(1));
    for n in 0..31 {
        telegram.user_started(1_000 + n);
    }
    for n in 0..30 {
        assert!(bot.send_message(ChatId(1_000 + n), "پیام").await.is_ok(), "message {n}");
    }
    let over = bot.send_message(ChatId(1_030), "سی و یکم").await.unwrap_err();
    assert!(matches!(over, RequestError::RetryAfter(_)), "{over:?}");
    assert_eq!(telegram.refused_by_limits(), 1);
}

/// Rule 12: one getUpdates at a time; none while a webhook is set; allowed_updates is kept.
#[tokio::test]
async fn rule_12_one_consumer_of_updates_and_allowed_updates_remembered() {
    let (telegram, bot) = server().await;
    let waiting = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(20).await }
    });
    telegram.wait_for(Duration::from_secs(10), |t| (t.polls_started() >= 1).then_some(())).await.unwrap();
    assert!(bot.get_updates().timeout(0).await.unwrap().is_empty(), "the newer getUpdates proceeds");
    let earlier = waiting.await.unwrap();
    assert!(matches!(api_error(earlier), ApiError::TerminatedByOtherGetUpdates));

    let url: url::Url = "https://example.org/hook".parse().unwrap();
    bot.set_webhook(url.clone()).await.unwrap();
    assert_eq!(bot.get_webhook_info().await.unwrap().url, Some(url));
    assert_eq!(unknown(bot.get_updates().await), rules::WEBHOOK_ACTIVE);
    bot.delete_webhook().await.unwrap();
    assert_eq!(bot.get_webhook_info().await.unwrap().url, None);
    assert!(bot.get_updates().await.is_ok());
    let conflicts: Vec<String> =
        telegram.refusals().into_iter().filter(|r| r.error_code == 409).map(|r| r.description).collect();
    assert_eq!(conflicts, [rules::TERMINATED_BY_OTHER, rules::WEBHOOK_ACTIVE]);

    // allowed_updates: given once (as teloxide does), kept for later calls.
    let user = person(CHAT.0);
    let mut offset = 0;
    let first = bot.get_updates().allowed_updates([AllowedUpdate::Message]).timeout(0).await.unwrap();
    assert!(first.is_empty());
    let said = telegram.send_text(&user, "سلام");
    telegram.edit_text(&user, said, "سلام!");
    let kinds = |updates: Vec<teloxide::types::Update>| -> Vec<&'static str> {
        updates
            .into_iter()
            .map(|u| match u.kind {
                UpdateKind::Message(_) => "message",
                UpdateKind::EditedMessage(_) => "edited_message",
                _ => "other",
            })
            .collect()
    };
    assert_eq!(kinds(take_updates(&bot, &mut offset).await), ["message"]);
    telegram.edit_text(&user, said, "سلام!!");
    assert!(take_updates(&bot, &mut offset).await.is_empty(), "the remembered list still applies");
    bot.get_updates()
        .offset(offset)
        .allowed_updates([AllowedUpdate::Message, AllowedUpdate::EditedMessage])
        .timeout(0)
        .await
        .unwrap();
    telegram.edit_text(&user, said, "سلام!!!");
    assert_eq!(kinds(take_updates(&bot, &mut offset).await), ["edited_message"]);
    // A waiting update of a kind a newer list leaves out is dropped, not delivered.
    telegram.edit_text(&user, said, "سلام؟");
    let narrowed = bot.get_updates().offset(offset).allowed_updates([AllowedUpdate::Message]).timeout(0).await;
    assert!(narrowed.unwrap().is_empty());
    assert!(telegram.all_updates_taken());
}

/// Rule 13: updates not fetched for 24 hours are gone.
#[tokio::test]
async fn rule_13_updates_are_kept_for_a_day() {
    let (telegram, bot) = server().await;
    let user = person(CHAT.0);
    let mut offset = 0;
    telegram.send_text(&user, "دیروز");
    telegram.pass_time(Duration::from_secs(25 * 3600));
    telegram.send_text(&user, "امروز");
    telegram.pass_time(Duration::from_secs(23 * 3600));
    let texts: Vec<String> = take_updates(&bot, &mut offset)
        .await
        .into_iter()
        .filter_map(|u| match u.kind {
            UpdateKind::Message(m) => m.text().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["امروز"]);
    assert!(telegram.all_updates_taken());
}

/// Rule 14: deleteMessage, within 48 hours.
#[tokio::test]
async fn rule_14_messages_are_deleted_within_two_days() {
    let (telegram, bot) = server().await;
    let sent = bot.send_message(CHAT, "پاک می‌شود").await.unwrap();
    assert!(bot.delete_message(CHAT, sent.id).await.is_ok());
    assert!(matches!(api_error(bot.delete_message(CHAT, sent.id).await), ApiError::MessageToDeleteNotFound));
    assert!(matches!(api_error(bot.edit_message_text(CHAT, sent.id, "x").await), ApiError::MessageToEditNotFound));
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());

    let never = bot.delete_message(CHAT, MessageId(999)).await;
    assert!(matches!(api_error(never), ApiError::MessageToDeleteNotFound));
    assert_eq!(telegram.violations().len(), 1, "deleting a message that never was is a bug");

    // The person's own messages, in a private chat, too.
    let theirs = telegram.send_text(&person(CHAT.0), "پیام من");
    let old = bot.send_message(CHAT, "کهنه").await.unwrap();
    let recent = bot.send_message(CHAT, "تازه").await.unwrap();
    telegram.pass_time(Duration::from_secs(47 * 3600));
    assert!(bot.delete_message(CHAT, MessageId(theirs)).await.is_ok());
    telegram.pass_time(Duration::from_secs(2 * 3600));
    assert!(matches!(api_error(bot.delete_message(CHAT, old.id).await), ApiError::MessageCantBeDeleted));
    let fresh = bot.send_message(CHAT, "همین حالا").await.unwrap();
    assert!(bot.delete_message(CHAT, fresh.id).await.is_ok());
    let _ = recent;
    let descriptions: Vec<String> = telegram.refusals().into_iter().map(|r| r.description).collect();
    assert_eq!(
        descriptions,
        [rules::DELETE_NOT_FOUND, rules::EDIT_NOT_FOUND, rules::DELETE_NOT_FOUND, rules::CANT_BE_DELETED]
    );
}

/// Rule 15: file ids are known, of one kind, and files have sizes.
#[tokio::test]
async fn rule_15_files_keep_their_kind_and_size() {
    let (telegram, bot) = server().await;
    let user = person(CHAT.0);
    telegram.send_photo(&user, "photo-1");
    telegram.send_document(&user, "receipt-doc", "receipt.jpg", "image/jpeg", 2_000_000);
    telegram.send_document(&user, "video-doc", "film.mp4", "video/mp4", 30_000_000);
    telegram.send_voice(&user);

    // Every size of a photo is a photo.
    assert!(bot.send_photo(CHAT, InputFile::file_id("photo-1".into())).await.is_ok());
    assert!(bot.send_photo(CHAT, InputFile::file_id("photo-1-small".into())).await.is_ok());
    assert!(bot.send_document(CHAT, InputFile::file_id("receipt-doc".into())).await.is_ok());
    assert!(bot.send_voice(CHAT, InputFile::file_id("voice-1".into())).await.is_ok());
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());

    let unknown_id = bot.send_photo(CHAT, InputFile::file_id("made-up".into())).await;
    assert!(matches!(api_error(unknown_id), ApiError::WrongFileIdOrUrl));
    // An image sent «as a file» is a document: it cannot be resent as a photo.
    assert_eq!(
        unknown(bot.send_photo(CHAT, InputFile::file_id("receipt-doc".into())).await),
        rules::FILE_TYPE_MISMATCH
    );
    assert_eq!(unknown(bot.send_document(CHAT, InputFile::file_id("voice-1".into())).await), rules::FILE_TYPE_MISMATCH);

    let file = bot.get_file("receipt-doc".into()).await.unwrap();
    assert_eq!(file.size, 2_000_000);
    assert_eq!(unknown(bot.get_file("video-doc".into()).await), rules::FILE_TOO_BIG);
    assert_eq!(unknown(bot.get_file("made-up".into()).await), rules::INVALID_FILE_ID);
    assert_eq!(telegram.violations().len(), 4, "{:?}", telegram.violations());

    // Uploads get new file ids, of their kind; a photo upload is at most 10 MB.
    let uploaded = bot.send_photo(CHAT, InputFile::memory(vec![7u8; 5000]).file_name("a.jpg")).await.unwrap();
    let largest = uploaded.photo().unwrap().last().unwrap().file.id.clone();
    assert_eq!(bot.get_file(largest.clone()).await.unwrap().size, 5000);
    assert!(bot.send_photo(CHAT, InputFile::file_id(largest.clone())).await.is_ok());
    assert_eq!(unknown(bot.send_document(CHAT, InputFile::file_id(largest)).await), rules::FILE_TYPE_MISMATCH);
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    assert_eq!(unknown(bot.send_photo(CHAT, InputFile::memory(big).file_name("big.jpg")).await), rules::FILE_TOO_BIG);
    assert_eq!(telegram.violations().len(), 5, "a big photo is a refusal, not a violation");
}

/// Rule 16: request_contact buttons work in private chats only; a contact from the phone book
/// has no user_id.
#[tokio::test]
async fn rule_16_contact_buttons_in_private_chats_and_contacts_without_users() {
    let (telegram, bot) = server().await;
    let ask = || ReplyMarkup::keyboard([[KeyboardButton::new("شماره").request(ButtonRequest::Contact)]]);
    assert!(bot.send_message(CHAT, "شماره‌تان؟").reply_markup(ask()).await.is_ok());
    assert_eq!(
        unknown(bot.send_message(ChatId(-100), "شماره‌تان؟").reply_markup(ask()).await),
        rules::BUTTON_TYPE_INVALID
    );
    assert_eq!(telegram.violations().len(), 1);

    let user = person(CHAT.0);
    telegram.send_contact(&user, "+989120000000", &user);
    telegram.send_contact_of_other(&user, "+989130000000", "مادر");
    let mut offset = 0;
    let contacts: Vec<(String, Option<u64>)> = take_updates(&bot, &mut offset)
        .await
        .into_iter()
        .filter_map(|u| match u.kind {
            UpdateKind::Message(m) => m.contact().map(|c| (c.phone_number.clone(), c.user_id.map(|id| id.0))),
            _ => None,
        })
        .collect();
    assert_eq!(contacts, [("+989120000000".into(), Some(5)), ("+989130000000".into(), None)]);
}

/// Forwarding and copying need the source, and carry its content.
#[tokio::test]
async fn forwards_and_copies_carry_the_content_of_a_message_that_exists() {
    let (telegram, bot) = server().await;
    telegram.user_started(6);
    let user = person(CHAT.0);
    let voice = telegram.send_voice(&user);
    let forwarded = bot.forward_message(ChatId(6), CHAT, MessageId(voice)).await.unwrap();
    assert!(forwarded.voice().is_some() && forwarded.text().is_none());
    assert_eq!(unknown(bot.edit_message_text(ChatId(6), forwarded.id, "متن").await), rules::NO_TEXT_TO_EDIT);

    let said = telegram.send_text(&user, "سلام");
    let text = bot.forward_message(ChatId(6), CHAT, MessageId(said)).await.unwrap();
    assert_eq!(text.text(), Some("سلام"));

    let missing = bot.forward_message(ChatId(6), CHAT, MessageId(999)).await;
    assert!(matches!(api_error(missing), ApiError::MessageToForwardNotFound));
    let missing = bot.copy_message(ChatId(6), CHAT, MessageId(999)).await;
    assert!(matches!(api_error(missing), ApiError::MessageToCopyNotFound));

    let photo = telegram.send_photo(&user, "invoice");
    let copy = bot
        .copy_message(ChatId(6), CHAT, MessageId(photo))
        .caption("فاکتور")
        .reply_markup(keyboard("ok"))
        .await
        .unwrap();
    let copied = telegram.messages_to(6).into_iter().find(|m| m.message_id == copy.0).unwrap();
    assert_eq!(copied.text, "فاکتور");
    assert_eq!(copied.inline_buttons(), [("دکمه".to_string(), "ok".to_string())]);
    assert!(copied.raw["photo"].is_array());
    assert!(bot.edit_message_caption(ChatId(6), copy).caption("فاکتور تأییدشده").await.is_ok());

    // A message the person deleted is gone: a refusal, not a bug.
    telegram.user_deletes(CHAT.0, said);
    let gone = bot.copy_message(ChatId(6), CHAT, MessageId(said)).await;
    assert!(matches!(api_error(gone), ApiError::MessageToCopyNotFound));
    assert_eq!(telegram.violations().len(), 3, "{:?}", telegram.violations());
}

/// A person edits a message they sent: an edited_message update with the same id.
#[tokio::test]
async fn people_edit_their_own_messages() {
    let (telegram, bot) = server().await;
    let user = person(CHAT.0);
    let said = telegram.send_text(&user, "۱۲۰ هزر");
    let mut offset = 0;
    bot.get_updates().allowed_updates([AllowedUpdate::Message, AllowedUpdate::EditedMessage]).timeout(0).await.unwrap();
    take_updates(&bot, &mut offset).await;
    telegram.pass_time(Duration::from_secs(30));
    telegram.edit_text(&user, said, "۱۲۰ هزار");
    assert_eq!(telegram.unacknowledged_from(CHAT.0), 1);
    let updates = take_updates(&bot, &mut offset).await;
    let UpdateKind::EditedMessage(edited) = &updates[0].kind else { panic!("{updates:?}") };
    assert_eq!((edited.id.0, edited.text()), (said, Some("۱۲۰ هزار")));
    let edit_date = edited.edit_date().unwrap().timestamp();
    assert!(edit_date >= edited.date.timestamp() + 30);
    let action = UserAction::Edit { chat: CHAT.0, message_id: said, edit_date };
    assert!(telegram.acknowledged_at(&action).is_some());
    let never = std::panic::catch_unwind(AssertUnwindSafe(|| telegram.edit_text(&user, 999, "x")));
    assert!(never.is_err(), "a person edits only what they sent");
}

fn json_of(response: &str) -> Value {
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

/// A raw POST, for requests teloxide itself would never build.
async fn reqwest_like_post(telegram: &FakeTelegram, method: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = telegram.url();
    let address = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /bot1:T/{method} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}
