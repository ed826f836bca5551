//! The `pelekan` command line. Errors come back as one line and a non-zero exit.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use teloxide::prelude::*;

use crate::clock::Clock;
use crate::config::{Config, DEFAULT_DATABASE_URL, Playbook, Programme};
use crate::domain::person::Role;
use crate::persian::jalali::{JalaliDate, tehran_day};
use crate::store::{NewInvite, Store};

#[derive(Parser, Debug)]
#[command(
    name = "pelekan",
    version,
    about = "Pelekan (پلکان): the entrepreneurship-empowerment programme's Telegram bot"
)]
pub struct Cli {
    /// SQLite database (file created with its folder on first use)
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// The bot's @username for invite links (default: asked from Telegram)
    #[arg(long, env = "PELEKAN_BOT_USERNAME", global = true)]
    pub bot_username: Option<String>,
    /// Largest amount, in toman, that one sale may report
    #[arg(long, env = "PELEKAN_MAX_SALE_TOMAN", default_value_t = 1_000_000_000, global = true)]
    pub max_sale_toman: i64,
    /// Days an invite code stays usable
    #[arg(long, env = "PELEKAN_INVITE_DAYS", default_value_t = 7, global = true)]
    pub invite_days: i64,
    /// The programme file (loan ranges, arrears buckets, check-in times); default: built in
    #[arg(long, env = "PELEKAN_PROGRAMME", global = true)]
    pub programme: Option<std::path::PathBuf>,
    /// The failure-scenario playbook; default: built in
    #[arg(long, env = "PELEKAN_PLAYBOOK", global = true)]
    pub playbook: Option<std::path::PathBuf>,
    /// The largest share of the sending rate that bulk messages (reminders, check-in prompts)
    /// may take, above 0 and at most 1; the rest is kept for replies
    #[arg(long, env = "PELEKAN_BULK_SHARE", default_value_t = crate::config::BULK_SHARE, global = true)]
    pub bulk_share: f64,
    #[command(subcommand)]
    pub command: Command,
}

/// A yes-or-no setting as operators write it: 1/0, true/false, yes/no, on/off (clap's plain
/// `bool` takes only true and false, and `PELEKAN_UNTHROTTLED=1` stopped the bot).
fn boolish() -> clap::builder::BoolishValueParser {
    clap::builder::BoolishValueParser::new()
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the bot (long polling) until Ctrl-C or SIGTERM
    Run {
        /// Bot token from @BotFather
        #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Bot API server (default: Telegram's)
        #[arg(long, env = "TELOXIDE_API_URL")]
        api_url: Option<String>,
        /// Pretend it is this instant (RFC 3339) at start, and let time run on from there:
        /// for rehearsals and benchmarks on data of other days. Never in production.
        #[arg(long, env = "PELEKAN_NOW", hide = true)]
        now: Option<chrono::DateTime<chrono::Utc>>,
        /// Send as fast as the Bot API server answers, ignoring Telegram's flood limits:
        /// only for tests and benchmarks against a fake server. Never in production.
        #[arg(long, env = "PELEKAN_UNTHROTTLED", hide = true, value_parser = boolish(), num_args = 0..=1,
              default_missing_value = "true", default_value = "false")]
        unthrottled: bool,
    },
    /// Create or upgrade the database, then exit
    Migrate,
    /// Administration
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print a single-use invite code and its link
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Write a table as CSV to standard output
    Export {
        what: ExportTable,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
    /// Run the early-warning scan as of a day (Jalali or ISO); alerts and reminders are
    /// queued and delivered by `pelekan run`
    Scan {
        /// The day to scan as of (default: today)
        #[arg(long)]
        as_of: Option<String>,
        /// Print what would be sent; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Fill the database with a realistic, deterministic synthetic programme
    SeedSynthetic {
        #[arg(long)]
        entrepreneurs: u64,
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Default: one caseworker for every 60 entrepreneurs
        #[arg(long)]
        caseworkers: Option<u64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The last day of the history (default: today)
        #[arg(long)]
        end: Option<String>,
    },
    /// Run the real bot against a built-in fake Telegram and print a Persian conversation
    Demo,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Register a manager by Telegram user id (the first manager is added this way)
    AddManager {
        telegram_user_id: i64,
        #[arg(long, default_value = "مدیر")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum InviteCommand {
    /// An invite for a new caseworker
    Caseworker,
    /// An invite for a new entrepreneur, linked to a caseworker
    Entrepreneur {
        /// The caseworker's Telegram user id
        #[arg(long)]
        caseworker: i64,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ExportTable {
    Sales,
    People,
    Loans,
    Installments,
    Payments,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Csv,
}

impl Cli {
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config {
            database_url: self.database_url.clone(),
            bot_username: self.bot_username.clone(),
            invite_valid_days: self.invite_days,
            ..Config::default()
        };
        config.sale_limits.max_amount_toman = self.max_sale_toman;
        config.send_limits.bulk_share = self.bulk_share;
        if let Some(path) = &self.programme {
            config.programme = Programme::load(path)?;
        }
        if let Some(path) = &self.playbook {
            config.playbook = Playbook::load(path)?;
        }
        Ok(config)
    }

    /// The demo prints a transcript: keep the log quiet unless asked.
    pub fn default_log_filter(&self) -> &'static str {
        match self.command {
            Command::Demo => "error",
            _ => "info,sqlx=warn",
        }
    }
}

pub async fn execute(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config()?;
    if config.sale_limits.max_amount_toman <= 0 {
        bail!("PELEKAN_MAX_SALE_TOMAN must be a positive number of toman");
    }
    if config.invite_valid_days <= 0 {
        bail!("PELEKAN_INVITE_DAYS must be at least 1");
    }
    if !(config.send_limits.bulk_share > 0.0 && config.send_limits.bulk_share <= 1.0) {
        bail!("PELEKAN_BULK_SHARE must be above 0 and at most 1, like 0.8");
    }
    match cli.command {
        Command::Run { token, api_url, now, unthrottled } => {
            let mut config = config;
            if unthrottled {
                config.send_limits = crate::telegram::SendLimits {
                    bulk_share: config.send_limits.bulk_share,
                    ..crate::config::UNTHROTTLED
                };
                config.inbound_limit = crate::telegram::inbound::InboundLimit::NONE;
                config.stranger_limit = crate::telegram::inbound::StrangerLimit::NONE;
            }
            run(config, token, api_url, Clock::starting_at(now)).await
        }
        Command::Migrate => {
            open(&config).await?;
            println!("database {} is up to date", config.database_url);
            Ok(())
        }
        Command::Admin(AdminCommand::AddManager { telegram_user_id, name }) => {
            let store = open(&config).await?;
            let manager = store.add_manager(telegram_user_id, name.trim(), chrono::Utc::now()).await?;
            println!("manager {} (Telegram user {}) can now use the bot", manager.full_name, manager.telegram_id);
            Ok(())
        }
        Command::Invite(which) => invite(config, which).await,
        Command::Export { what, format: ExportFormat::Csv } => {
            let store = open(&config).await?;
            // Blocking writes to stdout are fine here: the export is all this process does.
            let out = std::io::stdout();
            match what {
                ExportTable::Sales => crate::export::sales_csv(&store, out).await,
                ExportTable::People => crate::export::people_csv(&store, out).await,
                ExportTable::Loans => crate::export::loans_csv(&store, out).await,
                ExportTable::Installments => crate::export::installments_csv(&store, out).await,
                ExportTable::Payments => crate::export::payments_csv(&store, out).await,
            }
            .context("exporting to standard output")?;
            store.close().await;
            Ok(())
        }
        Command::Scan { as_of, dry_run } => scan(config, as_of, dry_run).await,
        Command::SeedSynthetic { entrepreneurs, months, caseworkers, seed, end } => {
            let end = match end {
                Some(text) => crate::persian::jalali::parse_full_date(&text)
                    .with_context(|| format!("--end {text:?} is not a date; write it like 1405/09/01 or 2026-11-22"))?,
                None => crate::persian::jalali::tehran_day(chrono::Utc::now()),
            };
            if months == 0 {
                bail!("--months must be at least 1");
            }
            let store = open(&config).await?;
            let caseworkers = caseworkers.unwrap_or(entrepreneurs.div_ceil(60)).max(1);
            let shape = crate::synthetic::Shape { entrepreneurs, months, caseworkers, seed, end };
            crate::synthetic::seed(&store, shape).await?;
            println!(
                "{entrepreneurs} entrepreneurs, {caseworkers} caseworkers, {months} months to {end}; {}% in each of the eight trouble situations",
                crate::synthetic::TROUBLE_PERCENT_EACH
            );
            Ok(())
        }
        Command::Demo => crate::demo::run().await,
    }
}

async fn open(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.database_url).await.with_context(|| format!("opening the database {}", config.database_url))
}

fn bot_from(token: String, api_url: Option<String>) -> anyhow::Result<Bot> {
    let bot = Bot::new(token);
    Ok(match api_url {
        Some(url) => {
            bot.set_api_url(url::Url::parse(&url).with_context(|| format!("TELOXIDE_API_URL {url:?} is not a URL"))?)
        }
        None => bot,
    })
}

async fn run(config: Config, token: Option<String>, api_url: Option<String>, clock: Clock) -> anyhow::Result<()> {
    let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
        bail!("TELOXIDE_TOKEN is not set: set it to the token @BotFather gave you (or try `pelekan demo`)");
    };
    let store = open(&config).await?;
    let bot = bot_from(token, api_url)?;
    let running = crate::bot::start(crate::bot::Launch {
        bot,
        store: store.clone(),
        config,
        clock,
        // Below the HTTP client's 17-second timeout: a longer poll would fail on every quiet spell.
        polling_timeout: Duration::from_secs(10),
        handle_ctrl_c: true,
        tick_every: Some(Duration::from_secs(30)),
    })
    .await?;
    tracing::info!("Pelekan is running; Ctrl-C or SIGTERM stops it");
    // teloxide's handler covers Ctrl-C; SIGTERM (docker stop, systemd) stops the dispatcher the
    // same way. Either way the outbox then finishes the sends under way before the process ends.
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("listening for SIGTERM")?;
        let dispatcher = running.shutdown_token();
        tokio::spawn(async move {
            if term.recv().await.is_some() {
                tracing::info!("SIGTERM received; stopping");
                crate::bot::stop_dispatcher(&dispatcher, || false).await;
            }
        });
    }
    running.wait().await;
    store.close().await;
    Ok(())
}

async fn invite(config: Config, which: InviteCommand) -> anyhow::Result<()> {
    let store = open(&config).await?;
    let now = chrono::Utc::now();
    let (role, caseworker_id) = match which {
        InviteCommand::Caseworker => (Role::Caseworker, None),
        InviteCommand::Entrepreneur { caseworker } => {
            let person = store.person_by_telegram_id(caseworker).await?;
            match person {
                Some(p) if p.role == Role::Caseworker => (Role::Entrepreneur, Some(p.id)),
                Some(p) => bail!("Telegram user {caseworker} is a {}, not a caseworker", p.role.as_str()),
                None => bail!(
                    "no caseworker has Telegram user id {caseworker}; invite them with `pelekan invite caseworker` first"
                ),
            }
        }
    };
    let invite = NewInvite::random(role, caseworker_id, None, now, config.invite_valid_days)?;
    store.create_invite(None, &invite, None, now).await?;
    let expires = JalaliDate::from_gregorian(tehran_day(invite.expires_at));
    println!("code: {}", invite.code);
    match bot_username(&config).await {
        Some(username) => println!("link: https://t.me/{username}?start={}", invite.code),
        None => eprintln!(
            "(no link: set PELEKAN_BOT_USERNAME, or TELOXIDE_TOKEN so the username can be asked from Telegram)"
        ),
    }
    println!("expires: {} ({expires})", invite.expires_at.format("%Y-%m-%d %H:%M UTC"));
    Ok(())
}

async fn bot_username(config: &Config) -> Option<String> {
    if let Some(name) = &config.bot_username {
        return Some(name.trim_start_matches('@').to_string());
    }
    let token = std::env::var("TELOXIDE_TOKEN").ok()?;
    let bot = bot_from(token, std::env::var("TELOXIDE_API_URL").ok()).ok()?;
    match bot.get_me().await {
        Ok(me) => me.user.username.clone(),
        Err(e) => {
            eprintln!("(could not ask Telegram for the bot's username: {e})");
            None
        }
    }
}

async fn scan(config: Config, as_of: Option<String>, dry_run: bool) -> anyhow::Result<()> {
    use chrono::TimeZone;
    let day = match as_of {
        Some(text) => crate::persian::jalali::parse_full_date(&text)
            .with_context(|| format!("--as-of {text:?} is not a date; write it like 1405/09/01 or 2026-11-22"))?,
        None => crate::persian::jalali::tehran_day(chrono::Utc::now()),
    };
    let hour = config.programme.warnings.scan_hour;
    let time = chrono::NaiveTime::from_hms_opt(hour, 0, 0).context("scan hour")?;
    let now = chrono_tz::Asia::Tehran
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .context("no such time in Tehran")?
        .with_timezone(&chrono::Utc);
    let store = open(&config).await?;
    let tr = crate::i18n::Tr::persian()?;
    let ctx = crate::schedule::scan::Ctx { store: &store, tr: &tr, config: &config };
    if dry_run {
        let plan = crate::schedule::scan::plan(&ctx, now).await?;
        print!("{}", crate::schedule::scan::describe(&ctx, &plan));
        return Ok(());
    }
    if !store.claim_scan(day, now).await? {
        bail!("the scan of {day} has already run; use --dry-run to see what it finds");
    }
    let summary = crate::schedule::scan::run(&ctx, now).await?;
    store.finish_scan(day, summary.scanned, summary.alerts, now).await?;
    println!(
        "scan of {day}: {} entrepreneurs, {} alerts, {} digests, {} reminders queued (delivered by `pelekan run`)",
        summary.scanned, summary.alerts, summary.digests, summary.reminders
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unthrottled(args: &[&str]) -> Result<bool, clap::Error> {
        let cli = Cli::try_parse_from(["pelekan", "run"].iter().chain(args))?;
        match cli.command {
            Command::Run { unthrottled, .. } => Ok(unthrottled),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn yes_or_no_settings_take_what_operators_write() {
        assert!(!unthrottled(&[]).unwrap());
        assert!(unthrottled(&["--unthrottled"]).unwrap());
        for yes in ["1", "true", "yes", "on", "TRUE", "Yes"] {
            assert!(unthrottled(&[&format!("--unthrottled={yes}")]).unwrap(), "{yes}");
        }
        for no in ["0", "false", "no", "off"] {
            assert!(!unthrottled(&[&format!("--unthrottled={no}")]).unwrap(), "{no}");
        }
        assert!(unthrottled(&["--unthrottled=maybe"]).is_err());
    }
}
