//! `pelekan demo`: the real bot, unmodified, against the built-in fake Telegram, with a
//! temporary database, playing a short scripted conversation and printing it in Persian.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use teloxide::prelude::*;

use crate::bot::{Launch, start};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::person::Role;
use crate::fake_telegram::{ApiSpec, FakeTelegram, FakeUser, RecordedRequest};
use crate::i18n::Tr;
use crate::store::{NewInvite, Store};
use crate::views::callback::{Callback, SaleButton};

const WAIT: Duration = Duration::from_secs(20);

/// One scripted conversation, printed as it happens.
struct Script {
    telegram: FakeTelegram,
    tr: Tr,
    seen: usize,
    transcript: String,
}

impl Script {
    fn line(&mut self, text: &str) {
        self.transcript.push_str(text);
        self.transcript.push('\n');
    }

    /// Prints what the bot sent since the last call.
    fn print_replies(&mut self, names: &[(i64, &str)]) {
        let requests = self.telegram.requests();
        for request in requests.iter().skip(self.seen) {
            if let Some(text) = describe(request, names) {
                self.line(&text);
            }
        }
        self.seen = requests.len();
    }

    /// Waits until the bot's last message to `chat` carries a keyboard (every step ends
    /// with one), that is, until the bot has answered the step.
    async fn wait_for_answer(&mut self, chat: i64) -> anyhow::Result<()> {
        let seen = self.seen;
        let answered = self
            .telegram
            .wait_for(WAIT, |t| {
                let requests = t.requests();
                let last = requests.iter().skip(seen).rev().find(|r| chat_of(r) == Some(chat))?;
                let has_keyboard = last
                    .params
                    .get("reply_markup")
                    .is_some_and(|m| m.get("keyboard").is_some() || m.get("inline_keyboard").is_some());
                has_keyboard.then_some(())
            })
            .await;
        if answered.is_none() {
            let methods: Vec<String> =
                self.telegram.requests().iter().map(|r| format!("{} {:?}", r.method, r.params)).collect();
            bail!(
                "the bot did not answer in time (requests so far: {methods:?}; refused: {:?})",
                self.telegram.violations()
            );
        }
        Ok(())
    }

    async fn say(&mut self, user: &FakeUser, text: &str, names: &[(i64, &str)]) -> anyhow::Result<()> {
        self.line(&format!("\n👤 {}: {text}", user.first_name));
        self.telegram.send_text(user, text);
        self.wait_for_answer(user.id).await?;
        self.print_replies(names);
        Ok(())
    }

    async fn share_contact(&mut self, user: &FakeUser, phone: &str, names: &[(i64, &str)]) -> anyhow::Result<()> {
        self.line(&format!("\n👤 {}: {}", user.first_name, self.tr.msg("btn-share-contact")));
        self.telegram.send_contact(user, phone, user);
        self.wait_for_answer(user.id).await?;
        self.print_replies(names);
        Ok(())
    }

    async fn press(&mut self, user: &FakeUser, data: &str, names: &[(i64, &str)]) -> anyhow::Result<()> {
        let message = self
            .telegram
            .messages_to(user.id)
            .into_iter()
            .rev()
            .find(|m| m.inline_buttons().iter().any(|(_, d)| d == data))
            .context("no message with that button")?;
        let label = message.inline_buttons().into_iter().find(|(_, d)| d == data).map(|(l, _)| l).unwrap_or_default();
        self.line(&format!("\n👤 {}: [{label}]", user.first_name));
        self.telegram.press(user, &message, data);
        self.wait_for_answer(user.id).await?;
        self.print_replies(names);
        Ok(())
    }
}

fn chat_of(request: &RecordedRequest) -> Option<i64> {
    request.params.get("chat_id").and_then(|c| c.as_i64())
}

fn describe(request: &RecordedRequest, names: &[(i64, &str)]) -> Option<String> {
    let to = chat_of(request).and_then(|c| names.iter().find(|(id, _)| *id == c)).map(|(_, n)| *n).unwrap_or("?");
    let text = request.params.get("text").and_then(|t| t.as_str());
    let mut out = match (request.method.as_str(), text) {
        ("sendMessage", Some(text)) => format!("🤖 → {to}:\n{text}"),
        ("editMessageText", Some(text)) => format!("🤖 → {to} (ویرایش پیام قبلی):\n{text}"),
        ("answerCallbackQuery", Some(text)) => format!("🤖 → {to} (اعلان): {text}"),
        _ => String::new(),
    };
    let labels = request.keyboard_labels();
    let inline: Vec<String> = request
        .params
        .get("reply_markup")
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(|k| k.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_array())
        .flatten()
        .filter_map(|b| b.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    if !labels.is_empty() {
        let _ = write!(
            out,
            "{}⌨️ {}",
            if out.is_empty() { "" } else { "\n" },
            labels.iter().map(|l| format!("[{l}]")).collect::<Vec<_>>().join(" ")
        );
    }
    if !inline.is_empty() {
        let _ = write!(
            out,
            "{}🔘 {}",
            if out.is_empty() { "" } else { "\n" },
            inline.iter().map(|l| format!("[{l}]")).collect::<Vec<_>>().join(" ")
        );
    }
    (!out.is_empty()).then_some(out)
}

pub async fn run() -> anyhow::Result<()> {
    let spec = ApiSpec::beside_project().ok();
    let validated = spec.is_some();
    let telegram = FakeTelegram::start(spec).await.context("starting the fake Telegram server")?;
    let folder = tempfile::tempdir().context("creating a temporary folder")?;
    let database_url = format!("sqlite://{}", folder.path().join("demo.db").display());
    let store = Store::open(&database_url).await?;
    // 10:00 in Tehran on 1 Azar 1405.
    let now: DateTime<Utc> = "2026-11-22T06:30:00Z".parse().context("demo start time")?;
    let clock = Clock::manual(now);
    let mut config = Config { database_url, ..Config::default() };
    config.send_limits = crate::config::UNTHROTTLED;

    // What an operator does on the command line: the first manager and a caseworker invite.
    let manager = FakeUser::new(1001, "مدیر", None);
    let caseworker = FakeUser::new(2001, "مریم", Some("کریمی"));
    let entrepreneur = FakeUser::new(3001, "زهرا", Some("احمدی"));
    store.add_manager(manager.id, "مدیر برنامه", now).await?;
    // The manager is added on the command line, as one who has used the bot before.
    telegram.user_started(manager.id);
    let caseworker_code = crate::domain::invite::code_from_random(*b"demo-invite!");
    store
        .create_invite(
            None,
            &NewInvite {
                code: caseworker_code.clone(),
                role: Role::Caseworker,
                caseworker_id: None,
                created_by: None,
                expires_at: now + chrono::Duration::days(7),
            },
            None,
            now,
        )
        .await?;

    let bot = Bot::new("123456:DEMO").set_api_url(telegram.url());
    let running = start(Launch {
        bot,
        store: store.clone(),
        config,
        clock,
        polling_timeout: Duration::from_secs(1),
        handle_ctrl_c: false,
        tick_every: None,
    })
    .await?;
    let mut script = Script { telegram: telegram.clone(), tr: Tr::persian()?, seen: 0, transcript: String::new() };
    script.print_replies(&[]);
    let names: &[(i64, &str)] =
        &[(caseworker.id, "مریم (مددکار)"), (entrepreneur.id, "زهرا (کارآفرین)"), (manager.id, "مدیر")];

    script.line("═══ پلکان: نمایش یک گفت‌وگوی کامل با ربات واقعی و تلگرام ساختگی ═══");
    script.line("\n── مددکار با لینک دعوتی که مدیر از خط فرمان ساخته است عضو می‌شود ──");
    script.say(&caseworker, &format!("/start {caseworker_code}"), names).await?;
    script.share_contact(&caseworker, "989121110000", names).await?;
    script.say(&caseworker, "مریم کریمی", names).await?;

    script.line("\n── مددکار برای کارآفرین لینک دعوت می‌سازد ──");
    script.say(&caseworker, &script.tr.msg("btn-invite-entrepreneur"), names).await?;
    let link = telegram.messages_to(caseworker.id).last().map(|m| m.text.clone()).unwrap_or_default();
    let code = link
        .split("?start=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .context("no invite link in the reply")?
        .to_string();

    script.line("\n── کارآفرین عضو می‌شود ──");
    script.say(&entrepreneur, &format!("/start {code}"), names).await?;
    script.share_contact(&entrepreneur, "989351234567", names).await?;
    script.say(&entrepreneur, "زهرا احمدی", names).await?;
    script.say(&entrepreneur, &script.tr.lines("business-types")[0], names).await?;
    // The caseworker is told about the new entrepreneur.
    let told = telegram
        .wait_for(WAIT, |t| t.messages_to(caseworker.id).into_iter().find(|m| m.text.contains("زهرا احمدی")))
        .await;
    if told.is_none() {
        bail!("the caseworker was not told about the new entrepreneur");
    }
    script.print_replies(names);

    let confirm = Callback::Sale(SaleButton::Confirm).encode();
    script.line("\n── فروش اول، با رقم‌های فارسی ──");
    script.say(&entrepreneur, &script.tr.msg("btn-sale"), names).await?;
    script.say(&entrepreneur, "۲۵۰ هزار تومان", names).await?;
    script.say(&entrepreneur, "روسری", names).await?;
    script.say(&entrepreneur, &script.tr.msg("btn-skip-customer"), names).await?;
    script.say(&entrepreneur, &script.tr.msg("btn-today"), names).await?;
    script.say(&entrepreneur, &script.tr.msg("btn-skip-photo"), names).await?;
    script.press(&entrepreneur, &confirm, names).await?;

    script.line("\n── فروش دوم: یک مبلغ نامفهوم، و مبلغی که دو جور خوانده می‌شود ──");
    script.say(&entrepreneur, &script.tr.msg("btn-sale"), names).await?;
    script.say(&entrepreneur, "خیلی زیاد", names).await?;
    script.say(&entrepreneur, "۱۲۰", names).await?;
    script.say(&entrepreneur, &crate::bot::amount_choice_label(&script.tr, 120_000), names).await?;
    script.say(&entrepreneur, "کیف دستی", names).await?;
    script.say(&entrepreneur, "خانم رضایی", names).await?;
    script.say(&entrepreneur, "۱۴۰۵/۸/۳۰", names).await?;
    script.say(&entrepreneur, &script.tr.msg("btn-skip-photo"), names).await?;
    script.press(&entrepreneur, &confirm, names).await?;

    running.stop().await;
    let sales = store.sale_count().await?;
    script.line(&format!(
        "\n═══ پایان: {} فروش در پایگاه داده ثبت شد. ═══",
        crate::persian::digits::format_number(sales)
    ));
    if !validated {
        script.line("(توجه: شرح رسمی رابط ربات‌های تلگرام پیدا نشد و درخواست‌ها با آن سنجیده نشدند.)");
    }
    let violations = telegram.violations();
    if !violations.is_empty() {
        bail!("the bot sent requests Telegram would refuse: {violations:?}");
    }
    println!("{}", script.transcript);
    store.close().await;
    Ok(())
}
