//! The fake Telegram server refuses what real Telegram would refuse, so that the other
//! tests can trust a passing run.

use pelekan::fake_telegram::{ApiSpec, FakeTelegram, Fault};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

async fn server() -> (FakeTelegram, Bot) {
    let telegram = FakeTelegram::start(Some(ApiSpec::beside_project().unwrap())).await.unwrap();
    let bot = Bot::new("1:T").set_api_url(telegram.url());
    (telegram, bot)
}

#[tokio::test]
async fn requests_real_telegram_would_refuse_are_refused_and_recorded() {
    let (telegram, bot) = server().await;
    assert!(bot.send_message(ChatId(5), "سلام").await.is_ok());
    assert!(telegram.violations().is_empty());

    assert!(bot.send_message(ChatId(5), "ا".repeat(4097)).await.is_err());
    assert!(telegram.violations().last().unwrap().contains("4097 characters"));
    assert!(bot.send_message(ChatId(5), "ا".repeat(4096)).await.is_ok());
    assert!(bot.send_message(ChatId(5), "").await.is_err());

    let long_data = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "d".repeat(65))]]);
    assert!(bot.send_message(ChatId(5), "x").reply_markup(long_data).await.is_err());
    assert!(telegram.violations().last().unwrap().contains("callback_data of 65 bytes"));

    // Photos and documents travel as multipart forms; they are parsed and checked too.
    let photo = bot.send_photo(ChatId(5), InputFile::file_id("AgACAgQ".into())).caption("فاکتور").await.unwrap();
    assert_eq!(photo.caption(), Some("فاکتور"));
    let document = bot.send_document(ChatId(5), InputFile::memory("a,b\r\n".as_bytes()).file_name("x.csv")).await;
    assert!(document.is_ok(), "{document:?}");

    let before = telegram.violations().len();
    let raw = reqwest_like_post(&telegram, "sendMessage", r#"{"chat_id":5,"text":"x","colour":"red"}"#).await;
    assert!(raw.contains("unknown parameter colour"), "{raw}");
    let raw = reqwest_like_post(&telegram, "sendMessage", r#"{"text":"x"}"#).await;
    assert!(raw.contains("missing required parameter chat_id"), "{raw}");
    let raw = reqwest_like_post(&telegram, "sendTelepathy", r#"{}"#).await;
    assert!(raw.contains("unknown method"), "{raw}");
    assert_eq!(telegram.violations().len(), before + 3);
}

#[tokio::test]
async fn injected_faults_are_answered_once() {
    let (telegram, bot) = server().await;
    telegram.inject_fault("sendMessage", Fault::Blocked);
    let blocked = bot.send_message(ChatId(5), "x").await.unwrap_err();
    assert!(blocked.to_string().contains("blocked"), "{blocked}");
    telegram.inject_fault("sendMessage", Fault::TooManyRequests { retry_after: 3 });
    let limited = bot.send_message(ChatId(5), "x").await.unwrap_err();
    assert!(matches!(limited, teloxide::RequestError::RetryAfter(_)), "{limited:?}");
    assert!(bot.send_message(ChatId(5), "x").await.is_ok());
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
