//! B1's second baseline: the sale dialogue written the way teloxide's own examples write a
//! dialogue (`purchase.rs`, `db_remember.rs`): a `State` enum kept in teloxide's
//! `SqliteStorage`, one handler per state, the sale stored with sqlx in the same file. It asks
//! what Pelekan asks, with Pelekan's texts and buttons, so that the same simulated entrepreneurs
//! report sales to both; it keeps none of Pelekan's guarantees (no record of handled updates,
//! the sale and the end of the dialogue in two commits, replies sent directly).
//!
//! One line more than the examples: the file is put in WAL mode. With the rollback journal
//! that `SqliteStorage::open` leaves, B1's trial runs (2026-12-02) lost work: SQLite refused
//! writes («database is locked»), a dialogue's state was lost and its person got no answer; the
//! runs that finished managed 330–460 updates/s. A baseline that loses work measures nothing.

use std::sync::Arc;

use pelekan::i18n::Tr;
use pelekan::persian::digits::to_persian_digits;
use pelekan::persian::jalali::{JalaliDate, tehran_day};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use teloxide::dispatching::dialogue::serializer::Json;
use teloxide::dispatching::dialogue::{self, SqliteStorage};
use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup};
use teloxide::utils::command::BotCommands;

type SaleDialogue = Dialogue<State, SqliteStorage<Json>>;
type HandlerResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

#[derive(Clone, Default, Serialize, Deserialize)]
pub enum State {
    #[default]
    Start,
    ReceiveAmount,
    ReceiveItem {
        amount: i64,
    },
    ReceiveCustomer {
        amount: i64,
        item: String,
    },
    ReceiveDay {
        amount: i64,
        item: String,
        customer: Option<String>,
    },
    ReceivePhoto {
        amount: i64,
        item: String,
        customer: Option<String>,
        sold_on: String,
    },
    Confirm {
        amount: i64,
        item: String,
        customer: Option<String>,
        sold_on: String,
        photo: Option<String>,
    },
}

#[derive(BotCommands, Clone)]
#[command(rename_rule = "lowercase")]
enum Command {
    /// Report a sale.
    Sale,
}

/// Pelekan's texts, worded once at start.
struct Texts {
    ask_amount: String,
    ask_item: String,
    ask_customer: String,
    ask_day: String,
    ask_photo: String,
    summary: String,
    skip_customer: String,
    today: String,
    skip_photo: String,
    confirm: String,
    tr: Tr,
}

impl Texts {
    fn new() -> anyhow::Result<Texts> {
        let tr = Tr::persian()?;
        let sale = || ("kind", "sale".to_string());
        let no_choices = || ("choices", "no".to_string());
        let today = JalaliDate::from_gregorian(tehran_day(chrono::Utc::now())).to_string();
        Ok(Texts {
            ask_amount: tr.msg("sale-ask-amount"),
            ask_item: tr.msg_with("sale-ask-item", &[sale(), no_choices()]),
            ask_customer: tr.msg_with("sale-ask-customer", &[sale(), no_choices()]),
            ask_day: tr.msg_with(
                "sale-ask-day",
                &[("today", to_persian_digits(&today)), ("example", to_persian_digits("1405/08/30"))],
            ),
            ask_photo: tr.msg("sale-ask-photo"),
            summary: {
                let blank = ["amount", "item", "customer", "day", "photo"].map(|name| (name, String::new()));
                let args: Vec<_> = [sale()].into_iter().chain(blank).collect();
                tr.part_with("sale-summary", &args).lines().next().unwrap_or_default().to_string()
            },
            skip_customer: tr.msg("btn-skip-customer"),
            today: tr.msg("btn-today"),
            skip_photo: tr.msg("btn-skip-photo"),
            confirm: tr.msg("btn-confirm"),
            tr,
        })
    }
}

/// Runs the bot until the process is stopped.
pub async fn run(bot: Bot, database: &str) -> anyhow::Result<()> {
    let pool = SqlitePool::connect(&format!("sqlite:{database}?mode=rwc")).await?;
    // Kept in the file: the storage's connections, opened next, use it too.
    sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
    let storage = SqliteStorage::open(database, Json).await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS sales (
             id INTEGER PRIMARY KEY,
             chat_id INTEGER NOT NULL,
             amount_toman INTEGER NOT NULL,
             item TEXT NOT NULL,
             customer TEXT,
             sold_on TEXT NOT NULL,
             photo_file_id TEXT,
             recorded_at INTEGER NOT NULL
         )",
    )
    .execute(&pool)
    .await?;
    sqlx::query("CREATE INDEX IF NOT EXISTS sales_by_chat_day ON sales (chat_id, sold_on)").execute(&pool).await?;
    Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![storage, pool, Arc::new(Texts::new()?)])
        .build()
        .dispatch()
        .await;
    Ok(())
}

fn schema() -> UpdateHandler<Box<dyn std::error::Error + Send + Sync + 'static>> {
    use dptree::case;

    let command_handler = teloxide::filter_command::<Command, _>().branch(case![Command::Sale].endpoint(start));

    let message_handler = Update::filter_message()
        .branch(command_handler)
        .branch(case![State::ReceiveAmount].endpoint(receive_amount))
        .branch(case![State::ReceiveItem { amount }].endpoint(receive_item))
        .branch(case![State::ReceiveCustomer { amount, item }].endpoint(receive_customer))
        .branch(case![State::ReceiveDay { amount, item, customer }].endpoint(receive_day))
        .branch(case![State::ReceivePhoto { amount, item, customer, sold_on }].endpoint(receive_photo));

    let callback_query_handler = Update::filter_callback_query()
        .branch(case![State::Confirm { amount, item, customer, sold_on, photo }].endpoint(confirm));

    dialogue::enter::<Update, SqliteStorage<Json>, State, _>().branch(message_handler).branch(callback_query_handler)
}

fn keyboard(label: &str) -> KeyboardMarkup {
    KeyboardMarkup::new([[KeyboardButton::new(label)]]).resize_keyboard()
}

/// An amount typed in Latin, Persian or Arabic digits, nothing else.
fn amount(text: &str) -> Option<i64> {
    let digits: Option<String> = text
        .trim()
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
            _ => None,
        })
        .collect();
    digits?.parse().ok().filter(|a| *a > 0)
}

async fn start(bot: Bot, dialogue: SaleDialogue, texts: Arc<Texts>, msg: Message) -> HandlerResult {
    bot.send_message(msg.chat.id, &texts.ask_amount).await?;
    dialogue.update(State::ReceiveAmount).await?;
    Ok(())
}

async fn receive_amount(bot: Bot, dialogue: SaleDialogue, texts: Arc<Texts>, msg: Message) -> HandlerResult {
    match msg.text().and_then(amount) {
        Some(amount) => {
            bot.send_message(msg.chat.id, &texts.ask_item).await?;
            dialogue.update(State::ReceiveItem { amount }).await?;
        }
        None => {
            bot.send_message(msg.chat.id, &texts.ask_amount).await?;
        }
    }
    Ok(())
}

async fn receive_item(bot: Bot, dialogue: SaleDialogue, texts: Arc<Texts>, amount: i64, msg: Message) -> HandlerResult {
    match msg.text().map(ToOwned::to_owned) {
        Some(item) => {
            bot.send_message(msg.chat.id, &texts.ask_customer).reply_markup(keyboard(&texts.skip_customer)).await?;
            dialogue.update(State::ReceiveCustomer { amount, item }).await?;
        }
        None => {
            bot.send_message(msg.chat.id, &texts.ask_item).await?;
        }
    }
    Ok(())
}

async fn receive_customer(
    bot: Bot,
    dialogue: SaleDialogue,
    texts: Arc<Texts>,
    (amount, item): (i64, String),
    msg: Message,
) -> HandlerResult {
    match msg.text() {
        Some(text) => {
            let customer = (text != texts.skip_customer).then(|| text.to_string());
            bot.send_message(msg.chat.id, &texts.ask_day).reply_markup(keyboard(&texts.today)).await?;
            dialogue.update(State::ReceiveDay { amount, item, customer }).await?;
        }
        None => {
            bot.send_message(msg.chat.id, &texts.ask_customer).await?;
        }
    }
    Ok(())
}

async fn receive_day(
    bot: Bot,
    dialogue: SaleDialogue,
    texts: Arc<Texts>,
    (amount, item, customer): (i64, String, Option<String>),
    msg: Message,
) -> HandlerResult {
    if msg.text() == Some(texts.today.as_str()) {
        let sold_on = tehran_day(chrono::Utc::now()).to_string();
        bot.send_message(msg.chat.id, &texts.ask_photo).reply_markup(keyboard(&texts.skip_photo)).await?;
        dialogue.update(State::ReceivePhoto { amount, item, customer, sold_on }).await?;
    } else {
        bot.send_message(msg.chat.id, &texts.ask_day).await?;
    }
    Ok(())
}

async fn receive_photo(
    bot: Bot,
    dialogue: SaleDialogue,
    texts: Arc<Texts>,
    (amount, item, customer, sold_on): (i64, String, Option<String>, String),
    msg: Message,
) -> HandlerResult {
    let photo = match (msg.photo(), msg.text()) {
        (Some(sizes), _) => sizes.last().map(|p| p.file.id.to_string()),
        (None, Some(text)) if text == texts.skip_photo => None,
        _ => {
            bot.send_message(msg.chat.id, &texts.ask_photo).await?;
            return Ok(());
        }
    };
    let summary = format!(
        "{}\n💰 مبلغ: {} تومان\n📦 جنس: {item}\n👤 مشتری: {}\n📅 تاریخ: {sold_on}",
        texts.summary,
        to_persian_digits(&amount.to_string()),
        customer.as_deref().unwrap_or("-"),
    );
    let buttons = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(&texts.confirm, "sale:ok")]]);
    bot.send_message(msg.chat.id, summary).reply_markup(buttons).await?;
    dialogue.update(State::Confirm { amount, item, customer, sold_on, photo }).await?;
    Ok(())
}

async fn confirm(
    bot: Bot,
    dialogue: SaleDialogue,
    texts: Arc<Texts>,
    pool: SqlitePool,
    (amount, item, customer, sold_on, photo): (i64, String, Option<String>, String, Option<String>),
    q: CallbackQuery,
) -> HandlerResult {
    // Telegram refuses an answer more than some seconds after the press (the fake server: 15 s);
    // the press itself still counts.
    let _ = bot.answer_callback_query(q.id.clone()).await;
    if q.data.as_deref() != Some("sale:ok") {
        return Ok(());
    }
    let chat_id = dialogue.chat_id().0;
    sqlx::query(
        "INSERT INTO sales (chat_id, amount_toman, item, customer, sold_on, photo_file_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(chat_id)
    .bind(amount)
    .bind(&item)
    .bind(&customer)
    .bind(&sold_on)
    .bind(&photo)
    .bind(chrono::Utc::now().timestamp())
    .execute(&pool)
    .await?;
    dialogue.exit().await?;
    let since = (tehran_day(chrono::Utc::now()) - chrono::Days::new(90)).to_string();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales WHERE chat_id = ? AND sold_on >= ?")
        .bind(chat_id)
        .bind(since)
        .fetch_one(&pool)
        .await?;
    let saved = texts.tr.msg_with(
        "sale-saved",
        &[("count", to_persian_digits(&count.to_string())), ("months", to_persian_digits("3"))],
    );
    bot.send_message(dialogue.chat_id(), saved).await?;
    Ok(())
}
